package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/neo4j"
	"github.com/guigen/guigen/store/sqlite"
)

// dbFile is the embedded store's file name inside the data dir.
const dbFile = "guigen.db"

// openStore opens the store the configuration names, which also brings
// its schema up to date. Its errors are one line for a person to act on.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (store.Store, error) {
	if cfg.Neo4j.URI != "" {
		db := cfg.Neo4j.Database
		if db == "" {
			db = neo4j.DefaultDatabase
		}
		user := cfg.Neo4j.User
		if user == "" {
			user = "(none)"
		}
		log.Info("存储后端 / store backend", "backend", "neo4j", "uri", cfg.Neo4j.URI, "database", db, "user", user)
		s, err := neo4j.Open(ctx, neo4j.Config{URI: cfg.Neo4j.URI, User: cfg.Neo4j.User, Password: cfg.Neo4j.Password, Database: cfg.Neo4j.Database})
		if err != nil {
			return nil, neo4jOpenError(cfg.Neo4j.URI, db, err)
		}
		return s, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("无法创建数据目录 %s / cannot create the data directory: %w", cfg.DataDir, err)
	}
	path := filepath.Join(cfg.DataDir, dbFile)
	log.Info("存储后端 / store backend", "backend", "sqlite", "path", path)
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, sqliteOpenError(path, err)
	}
	return s, nil
}

func sqliteOpenError(path string, err error) error {
	switch {
	case errors.Is(err, store.ErrCorrupt):
		return fmt.Errorf("数据库文件已损坏或不是 Guigen 数据库：%s / the database file is corrupt or not a Guigen database: %s", path, path)
	case errors.Is(err, store.ErrSchemaTooNew):
		return fmt.Errorf("数据库由更新版本的 Guigen 写入，请升级程序：%s / the database was written by a newer Guigen; upgrade this program: %s", path, path)
	}
	return fmt.Errorf("无法打开数据库 %s / cannot open the database %s: %v", path, path, err)
}

// neo4jOpenError says which of the usual things went wrong, naming the
// URI: the server is not there, it refused the credentials, or it holds
// a schema from a newer Guigen.
func neo4jOpenError(uri, db string, err error) error {
	var nerr *driver.Neo4jError
	switch {
	case errors.As(err, &nerr) && nerr.HasSecurityCode(), strings.Contains(err.Error(), "Neo.ClientError.Security."):
		return fmt.Errorf("Neo4j %s 认证失败，请检查 NEO4J_USER / NEO4J_PASSWORD / authentication failed at Neo4j %s: check NEO4J_USER and NEO4J_PASSWORD", uri, uri)
	case errors.Is(err, store.ErrSchemaTooNew):
		return fmt.Errorf("Neo4j %s 数据库 %q 由更新版本的 Guigen 写入，请升级程序 / database %q at Neo4j %s was written by a newer Guigen; upgrade this program", uri, db, db, uri)
	case errors.Is(err, store.ErrInvalid):
		return fmt.Errorf("Neo4j 地址或配置无效：%s / invalid Neo4j URI or configuration: %s (%s)", uri, uri, cause(err))
	case errors.Is(err, store.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("无法连接 Neo4j %s / cannot reach Neo4j at %s: %s", uri, uri, cause(err))
	}
	return fmt.Errorf("无法打开 Neo4j %s 数据库 %q / cannot open database %q at Neo4j %s: %s", uri, db, db, uri, cause(err))
}

// cause picks the part of a driver error a person can act on: the
// network failure when there is one, else the error's own text.
func cause(err error) string {
	var conn *driver.ConnectivityError
	if errors.As(err, &conn) && conn.Inner != nil {
		// The driver's error does not unwrap to the network error.
		err = conn.Inner
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return op.Error()
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.Error()
	}
	return oneLine(err)
}

func closeStore(s store.Store, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		log.Warn("关闭存储失败 / closing the store failed", "err", err)
	}
}

func migrateFlags(fs *flag.FlagSet) func(context.Context, *runEnv) error {
	var cfg config
	storeFlags(fs, &cfg)
	return func(ctx context.Context, env *runEnv) error {
		s, err := openStore(ctx, cfg, env.log)
		if err != nil {
			return err
		}
		defer closeStore(s, env.log)
		v, err := s.SchemaVersion(ctx)
		if err != nil {
			return fmt.Errorf("无法读取数据库结构版本 / cannot read the schema version: %v", err)
		}
		fmt.Fprintf(env.stdout, "schema version %d (%s)\n", v, s.Backend())
		return nil
	}
}
