// Command guigen runs Guigen (归根): the knowledge graph of martyrs and
// their families, with its GraphQL API.
//
//	guigen serve [--demo] [--data DIR] [--addr HOST:PORT]
//	guigen migrate [--data DIR]
//	guigen ingest places|martyrs|records [--dry-run] [--strict] [--json] [--data DIR] FILE...
//	guigen ingest gedcom [--tree NAME] [--dry-run] [--strict] FILE.ged...
//	guigen export [--format jsonl|gedcom] [--out FILE] [--data DIR]
//	guigen import [--dry-run] [--strict] FILE.jsonl
//	guigen reindex [--data DIR]
//	guigen verify [--data DIR]
//	guigen version
//
// Without NEO4J_URI the graph lives in one SQLite file under the data
// dir; with it, in Neo4j (NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first signal starts a graceful shutdown; a second one
		// kills, as people expect of Ctrl-C pressed twice.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

type command struct {
	name, summary string
	// args is the synopsis of the positional arguments; empty when the
	// command takes none.
	args string
	// flags builds the command's flag set; run runs it after parsing.
	flags func(fs *flag.FlagSet) func(ctx context.Context, env *runEnv) error
}

// runEnv is what a command writes to.
type runEnv struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	// args are the positional arguments, for a command that takes them.
	args []string
}

func commands() []command {
	return []command{
		{"serve", "serve the GraphQL API (/graphql, /healthz, /readyz)", "", serveFlags},
		{"migrate", "open the store, bring its schema up to date, print the schema version", "", migrateFlags},
		{"ingest", "import files into the store: ingest places|martyrs|records FILE... (导入地名表、英名录、档案)", "places|martyrs|records FILE...", ingestFlags},
		{"export", "write the store as JSON Lines (backup, for import) or GEDCOM 7: export [--format jsonl|gedcom] [--out FILE] (导出)", "", exportFlags},
		{"import", "load a JSON Lines export into the store, idempotently: import [--dry-run] [--strict] FILE.jsonl (导入备份)", "FILE.jsonl", importFlags},
		{"reindex", "rebuild the search index under the data dir from the store (重建搜索索引)", "", reindexFlags},
		{"verify", "compare the search index with the store; exit 1 when they differ (核对搜索索引)", "", verifyFlags},
		{"token", "API tokens: token create --role ROLE --name NAME | token revoke ID | token list (令牌)", "create|revoke|list ...", tokenFlags},
		{"generate", "write a synthetic register CSV for benchmarks: generate --martyrs N --seed S [--places FILE] [--out FILE] (生成模拟英名录)", "", generateFlags},
		{"version", "print the version", "", func(fs *flag.FlagSet) func(context.Context, *runEnv) error {
			return func(_ context.Context, env *runEnv) error {
				fmt.Fprintf(env.stdout, "guigen %s\n%s %s/%s\n", buildVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
				return nil
			}
		}},
	}
}

// run is the whole program: it parses args, runs one command and returns
// the exit code. A failure is reported on stderr as one line.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			if c, ok := findCommand(rest[0]); ok {
				fs := flag.NewFlagSet("guigen "+c.name, flag.ContinueOnError)
				c.flags(fs)
				commandUsage(stdout, c, fs)
				return exitOK
			}
			fmt.Fprintf(stderr, "guigen: 未知命令 %q / unknown command %q\n", rest[0], rest[0])
			return exitUsage
		}
		usage(stdout)
		return exitOK
	}
	c, ok := findCommand(name)
	if !ok {
		fmt.Fprintf(stderr, "guigen: 未知命令 %q / unknown command %q\n\n", name, name)
		usage(stderr)
		return exitUsage
	}
	fs := flag.NewFlagSet("guigen "+c.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	exec := c.flags(fs)
	fs.Usage = func() { commandUsage(stderr, c, fs) }
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 && c.args == "" {
		fmt.Fprintf(stderr, "guigen %s: 多余的参数 / unexpected arguments: %s\n", c.name, strings.Join(fs.Args(), " "))
		return exitUsage
	}
	env := &runEnv{
		stdout: stdout, stderr: stderr,
		log:  slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
		args: fs.Args(),
	}
	if err := exec(ctx, env); err != nil {
		if errors.Is(err, errUsage) {
			fmt.Fprintf(stderr, "guigen %s: %s\n", c.name, oneLine(err))
			return exitUsage
		}
		fmt.Fprintf(stderr, "guigen: %s\n", oneLine(err))
		return exitFail
	}
	return exitOK
}

func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func usage(w io.Writer) {
	fmt.Fprint(w, `guigen — 归根：为烈士寻亲的知识图谱 / a knowledge graph to find the families of fallen soldiers

Usage: guigen <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `  help     show help for a command: guigen help serve

`+envHelp)
}

func commandUsage(w io.Writer, c command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: guigen %s [flags]%s\n\n%s\n\n", c.name, strings.TrimRight(" "+c.args, " "), c.summary)
	fs.SetOutput(w)
	fs.PrintDefaults()
	if c.name != "version" {
		fmt.Fprint(w, "\n"+envHelp)
	}
}

const envHelp = `Environment (flags win over it):
  GUIGEN_DATA      data directory (default ./guigen-data)
  GUIGEN_ADDR      listen address (default 127.0.0.1:8080)
  NEO4J_URI        use Neo4j at this URI (bolt:// or neo4j://); unset: the embedded SQLite store
  NEO4J_USER       Neo4j user (unset: no authentication)
  NEO4J_PASSWORD   Neo4j password
  NEO4J_DATABASE   Neo4j database (default neo4j)
`

// buildVersion is the -X version, else the module version `go install`
// recorded, else "dev".
func buildVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

// oneLine flattens an error onto one line: a failure message is read by
// people and grepped by scripts.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
