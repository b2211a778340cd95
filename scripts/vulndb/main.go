// Command vulndb turns the OSV files of golang.org/x/vulndb (which the Go
// module proxy serves) into the database layout govulncheck reads with
// -db file://DIR. This machine reaches the module proxy but not
// vuln.go.dev, so the database comes by the route that works; the
// snapshot is the x/vulndb version pinned in scripts/govulncheck.sh.
//
//	go run ./scripts/vulndb -osv $VULNDB/data/osv -out DIR -modified 2026-11-05T23:49:57Z
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The database schema govulncheck v1 reads (x/vuln's internal client).
type dbMeta struct {
	Modified time.Time `json:"modified"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

func main() {
	osvDir := flag.String("osv", "", "the data/osv directory of golang.org/x/vulndb")
	out := flag.String("out", "", "directory to write the database to")
	mod := flag.String("modified", "", "the snapshot's time (RFC 3339), for entries that carry none")
	flag.Parse()
	if err := run(*osvDir, *out, *mod); err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func run(osvDir, out, mod string) error {
	snapshot, err := time.Parse(time.RFC3339, mod)
	if err != nil {
		return fmt.Errorf("-modified: %w", err)
	}
	files, err := filepath.Glob(filepath.Join(osvDir, "GO-*.json"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no OSV files in %s (%v)", osvDir, err)
	}
	for _, d := range []string{"index", "ID"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return err
		}
	}
	modules := map[string][]moduleVuln{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var entry struct {
			ID       string    `json:"id"`
			Modified time.Time `json:"modified"`
			Affected []struct {
				Package struct {
					Name string `json:"name"`
				} `json:"package"`
			} `json:"affected"`
		}
		if err := json.Unmarshal(raw, &entry); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if entry.Modified.IsZero() {
			entry.Modified = snapshot
			var doc map[string]any
			if err := json.Unmarshal(raw, &doc); err != nil {
				return err
			}
			doc["modified"] = snapshot.Format(time.RFC3339)
			if raw, err = json.Marshal(doc); err != nil {
				return err
			}
		}
		if err := os.WriteFile(filepath.Join(out, "ID", entry.ID+".json"), raw, 0o644); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, a := range entry.Affected {
			if p := a.Package.Name; p != "" && !seen[p] {
				seen[p] = true
				modules[p] = append(modules[p], moduleVuln{ID: entry.ID, Modified: entry.Modified})
			}
		}
	}
	var index []moduleMeta
	for p, vs := range modules {
		slices.SortFunc(vs, func(a, b moduleVuln) int { return strings.Compare(a.ID, b.ID) })
		index = append(index, moduleMeta{Path: p, Vulns: vs})
	}
	slices.SortFunc(index, func(a, b moduleMeta) int { return strings.Compare(a.Path, b.Path) })
	for name, v := range map[string]any{"db.json": dbMeta{Modified: snapshot}, "modules.json": index} {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "index", name), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "vulndb: %d entries for %d modules\n", len(files), len(index))
	return nil
}
