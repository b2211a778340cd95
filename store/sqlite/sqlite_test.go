package sqlite

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/guigen/guigen/store"
	"github.com/guigen/guigen/store/storetest"
)

// openTemp opens a fresh database file in the test's temporary directory
// and closes it when the test ends.
func openTemp(t *testing.T) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "guigen.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func hashFile(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// rawExec runs statements on a plain connection, outside the store.
func rawExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// guigenFile makes a closed Guigen database holding the fixture.
func guigenFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "guigen.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(t.Context(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRefusesForeignFiles(t *testing.T) {
	cases := []struct {
		name string
		make func(t *testing.T, path string)
		want error
	}{
		{"RandomBytes", func(t *testing.T, path string) {
			b := make([]byte, 64<<10)
			_, _ = rand.Read(b)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}, store.ErrCorrupt},
		{"ShortFile", func(t *testing.T, path string) {
			if err := os.WriteFile(path, []byte("SQLite"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, store.ErrCorrupt},
		{"DamagedSQLite", func(t *testing.T, path string) {
			// A valid header followed by garbage pages.
			src := guigenFile(t)
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			for i := 100; i < len(b); i++ {
				b[i] = byte(i * 7)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}, store.ErrCorrupt},
		{"OtherApplication", func(t *testing.T, path string) {
			rawExec(t, path,
				"CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)",
				"INSERT INTO invoices (total) VALUES (12.5)")
		}, store.ErrCorrupt},
		{"OtherApplicationID", func(t *testing.T, path string) {
			rawExec(t, path, "PRAGMA application_id = 1234", "CREATE TABLE t (x)")
		}, store.ErrCorrupt},
		{"NewerSchema", func(t *testing.T, path string) {
			src := guigenFile(t)
			b, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			rawExec(t, path, "PRAGMA user_version = 99")
		}, store.ErrSchemaTooNew},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "guigen.db")
			c.make(t, path)
			before := hashFile(t, path)
			info, _ := os.Stat(path)
			s, err := Open(t.Context(), path)
			if err == nil {
				_ = s.Close(t.Context())
				t.Fatalf("Open succeeded on a file it must refuse")
			}
			if !errors.Is(err, c.want) {
				t.Errorf("Open error = %v, want one wrapping %q", err, c.want)
			}
			t.Logf("error: %v", err)
			if after := hashFile(t, path); after != before {
				t.Error("the refused file was modified")
			}
			if info2, _ := os.Stat(path); info2.Size() != info.Size() {
				t.Errorf("size changed from %d to %d", info.Size(), info2.Size())
			}
		})
	}
}

func TestOpenCreatesAndReopenKeepsData(t *testing.T) {
	// The data directory does not exist yet: Open makes it.
	path := filepath.Join(t.TempDir(), "data", "guigen", "guigen.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("Open did not create the file: %v", err)
	}
	if v, err := s.SchemaVersion(t.Context()); err != nil || v != int(currentSchema) {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, currentSchema)
	}
	if err := s.Apply(t.Context(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	before, err := store.GetMartyr(t.Context(), s, storetest.MartyrWangDeming)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := s.Changes(t.Context(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}

	s2, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s2.Close(context.Background())
	after, err := store.GetMartyr(t.Context(), s2, storetest.MartyrWangDeming)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != before.Version || !after.UpdatedAt.Equal(before.UpdatedAt) || after.Name != before.Name ||
		len(after.Aliases) != len(before.Aliases) {
		t.Errorf("after reopening: %+v, want %+v", after, before)
	}
	changes2, err := s2.Changes(t.Context(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes2) != len(changes) {
		t.Errorf("change log has %d entries after reopening, want %d", len(changes2), len(changes))
	}
	// Writing after reopening continues the log, never reusing a seq.
	if err := s2.Apply(t.Context(), &store.Batch{Martyrs: []store.Martyr{{ID: "m-after", Name: "冯后"}}}); err != nil {
		t.Fatal(err)
	}
	more, err := s2.Changes(t.Context(), changes[len(changes)-1].Seq, 10)
	if err != nil || len(more) != 1 || more[0].ID != "m-after" {
		t.Errorf("changes after reopening = %+v, %v", more, err)
	}
}

func TestOpenEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guigen.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open(empty file): %v", err)
	}
	defer s.Close(context.Background())
	if err := s.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestPragmas(t *testing.T) {
	s := openTemp(t)
	var mode string
	if err := s.wdb.QueryRowContext(t.Context(), "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var appID int64
	if err := s.rdb.QueryRowContext(t.Context(), "PRAGMA application_id").Scan(&appID); err != nil || appID != applicationID {
		t.Errorf("application_id = %#x, %v", appID, err)
	}
	// Readers cannot write.
	if _, err := s.rdb.ExecContext(t.Context(), "CREATE TABLE x (y)"); err == nil {
		t.Error("a reader connection could write")
	}
}

func TestClosedStoreIsUnavailable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "guigen.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetMartyrs(t.Context(), []string{"x"})
	if !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("GetMartyrs on a closed store: %v, want ErrUnavailable", err)
	}
	err = s.Apply(t.Context(), &store.Batch{Martyrs: []store.Martyr{{ID: "m", Name: "甲"}}})
	if !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("Apply on a closed store: %v, want ErrUnavailable", err)
	}
}

func TestTwoStoresOnOneFile(t *testing.T) {
	// Two processes' worth of stores on one file: writes from both land,
	// neither fails with SQLITE_BUSY.
	path := filepath.Join(t.TempDir(), "guigen.db")
	a, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(context.Background())
	b, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(context.Background())
	if err := a.Apply(t.Context(), storetest.Gazetteer()); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 2)
	for i, s := range []*Store{a, b} {
		go func() {
			for j := range 10 {
				if err := s.Apply(t.Context(), storetest.Bulk(fmt.Sprintf("s%d-%d", i, j), 200)); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	p, err := b.ListMartyrs(t.Context(), store.MartyrFilter{}, store.PageReq{First: 1})
	if err != nil || p.Total != 2*10*200 {
		t.Errorf("Total = %d, %v; want %d", p.Total, err, 2*10*200)
	}
}

func BenchmarkApply(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("martyrs=%d", n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "guigen.db")
			s, err := Open(b.Context(), path)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close(context.Background())
			if err := s.Apply(b.Context(), storetest.Gazetteer()); err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				if err := s.Apply(b.Context(), storetest.Bulk(fmt.Sprintf("b%d", i), n)); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "martyrs/s")
		})
	}
}

// TestOpenRecoversHotJournal: a process that dies in the middle of a
// write in rollback-journal mode (as a new database is, before it
// switches to WAL) leaves a hot journal. Open must recover it — the
// uncommitted write rolled back — instead of failing read-only with
// SQLITE_READONLY_ROLLBACK, which once stopped an import from resuming
// after kill -9.
func TestOpenRecoversHotJournal(t *testing.T) {
	if path := os.Getenv("GUIGEN_HOT_JOURNAL_CHILD"); path != "" {
		// The child: a Guigen database with a write in flight, then an
		// exit that runs no rollback, as a SIGKILL would.
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(delete)&_pragma=cache_size(1)")
		if err != nil {
			os.Exit(2)
		}
		db.SetMaxOpenConns(1)
		ctx := context.Background()
		conn, err := db.Conn(ctx)
		if err != nil {
			os.Exit(3)
		}
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			os.Exit(4)
		}
		// Enough changed pages that the small cache spills them into the
		// database file, with their originals in the journal.
		if _, err := conn.ExecContext(ctx, "UPDATE martyr SET doc = doc || ' '"); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(5)
		}
		os.Exit(0)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "guigen.db")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(t.Context(), storetest.Fixture()); err != nil {
		t.Fatal(err)
	}
	var b store.Batch
	for i := range 3000 {
		b.Martyrs = append(b.Martyrs, store.Martyr{ID: fmt.Sprintf("hj-%05d", i), Name: "王德明", Notes: strings.Repeat("备注", 40)})
	}
	if err := s.Apply(t.Context(), &b); err != nil {
		t.Fatal(err)
	}
	want, err := s.ListMartyrs(t.Context(), store.MartyrFilter{}, store.PageReq{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Out of WAL mode, as a database is before its first writer switches it.
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("PRAGMA journal_mode=DELETE"); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestOpenRecoversHotJournal$")
	cmd.Env = append(os.Environ(), "GUIGEN_HOT_JOURNAL_CHILD="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if st, err := os.Stat(path + "-journal"); err != nil || st.Size() == 0 {
		t.Fatalf("the child left no hot journal (%v); the test proves nothing", err)
	}
	s, err = Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open with a hot journal: %v", err)
	}
	defer s.Close(context.Background())
	got, err := s.ListMartyrs(t.Context(), store.MartyrFilter{}, store.PageReq{First: 5})
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.Items {
		if got.Items[i].ID != want.Items[i].ID || got.Items[i].Notes != want.Items[i].Notes {
			t.Errorf("after recovery martyr %d = %+v, want %+v", i, got.Items[i], want.Items[i])
		}
	}
}
