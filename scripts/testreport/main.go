// Command testreport reads `go test -json` on stdin and prints what a
// person needs: each package's result, the output of every failed test,
// how many contract-suite cases ran against each storage backend, and a
// closing "N passed, N failed, N skipped" line. With -forbid-skip PATTERN
// (a package path suffix), a skipped test in such a package fails the run:
// CI must never skip the Neo4j cases.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

func main() {
	forbid := flag.String("forbid-skip", "", "comma-separated package path suffixes in which a skipped test is an error")
	flag.Parse()

	var forbidden []string
	for _, s := range strings.Split(*forbid, ",") {
		if s = strings.TrimSpace(s); s != "" {
			forbidden = append(forbidden, s)
		}
	}

	output := map[string][]string{} // package/test -> output lines
	var passed, failed, skipped int
	var failedTests, badSkips []string
	contract := map[string]int{} // package -> contract cases passed
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			// Build errors and other plain text come through as is.
			fmt.Println(string(line))
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			if e.Test != "" {
				output[key] = append(output[key], e.Output)
			} else if strings.HasPrefix(e.Output, "ok ") || strings.HasPrefix(e.Output, "FAIL") ||
				strings.HasPrefix(e.Output, "?") || strings.Contains(e.Output, "[build failed]") ||
				strings.HasPrefix(e.Output, "panic") {
				fmt.Print(e.Output)
			}
		case "pass", "fail", "skip":
			if e.Test == "" {
				continue
			}
			switch e.Action {
			case "pass":
				passed++
				if strings.Contains(e.Test, "/") && strings.HasPrefix(e.Test, "TestContract") {
					contract[e.Package]++
				}
			case "fail":
				failed++
				failedTests = append(failedTests, key)
			case "skip":
				skipped++
				for _, f := range forbidden {
					if strings.HasSuffix(e.Package, f) {
						badSkips = append(badSkips, key)
					}
				}
			}
			if e.Action != "fail" {
				delete(output, key)
			}
		}
	}
	for _, t := range failedTests {
		fmt.Printf("\n--- FAIL %s\n%s", t, strings.Join(output[t], ""))
	}
	if len(contract) > 0 {
		pkgs := make([]string, 0, len(contract))
		for p := range contract {
			pkgs = append(pkgs, p)
		}
		sort.Strings(pkgs)
		fmt.Println("\ncontract suite (store/storetest) cases passed per backend:")
		for _, p := range pkgs {
			fmt.Printf("  %-50s %d\n", p, contract[p])
		}
	}
	status := 0
	if len(badSkips) > 0 {
		fmt.Printf("\nskipped where skipping is not allowed:\n  %s\n", strings.Join(badSkips, "\n  "))
		status = 1
	}
	if failed > 0 {
		status = 1
	}
	fmt.Printf("\n%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	os.Exit(status)
}
