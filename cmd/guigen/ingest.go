package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/store"
)

// errUsage marks an error in how a command was called: run exits 2.
var errUsage = errors.New("用法错误 / bad usage")

const (
	// defaultIngestBatch is how many places one Apply writes.
	defaultIngestBatch = 2000
	// getChunk bounds the ids of one GetPlaces call, well under SQLite's
	// limit on bound parameters.
	getChunk = 5000
	// maxListedErrors is how many row errors the summary prints.
	maxListedErrors = 50
)

type ingestOptions struct {
	cfg    config
	dryRun bool
	strict bool
	batch  int
	json   bool
	// For portraits: the manifest, and the exhibit the rows hang in.
	manifest, exhibit, title, titleEN string
	// For gedcom: the tree's name in stable ids (default: from the file).
	tree string
}

// ingestSubcommand runs one kind of import on its files.
type ingestSubcommand func(ctx context.Context, o ingestOptions, paths []string, env *runEnv) error

// ingestSubcommands is what follows "guigen ingest"; a new importer adds
// its entry here.
var ingestSubcommands = map[string]ingestSubcommand{
	"places":    ingestPlaces,
	"martyrs":   ingestMartyrs,
	"records":   ingestRecords,
	"portraits": ingestPortraits,
	"gedcom":    ingestGEDCOM,
}

func ingestFlags(fs *flag.FlagSet) func(context.Context, *runEnv) error {
	var o ingestOptions
	storeFlags(fs, &o.cfg)
	fs.BoolVar(&o.dryRun, "dry-run", false, "read and check the files, write nothing (只检查，不写入)")
	fs.BoolVar(&o.strict, "strict", false, "write nothing if any row has an error, and exit 1 (任一行有错即不写入)")
	fs.IntVar(&o.batch, "batch", defaultIngestBatch, "rows per transaction (`N`)")
	fs.StringVar(&o.manifest, "manifest", "", "portraits: the manifest CSV (`FILE`) listing each image and its metadata (画像清单)")
	fs.StringVar(&o.exhibit, "exhibit", "", "portraits: hang the portraits, in manifest order, in this exhibit (`ID`) (展览编号)")
	fs.StringVar(&o.title, "title", "", "portraits: the exhibit's title when it is new (展览名称)")
	fs.StringVar(&o.titleEN, "title-en", "", "portraits: the exhibit's English title")
	fs.StringVar(&o.tree, "tree", "", "gedcom: name of the family tree in stable ids (`NAME`; default HEAD.FILE or the file name) (家谱标识)")
	fs.BoolVar(&o.json, "json", false, "print the summary as JSON on stdout (martyrs, records) (以 JSON 输出汇总)")
	return func(ctx context.Context, env *runEnv) error {
		// Flags may also follow the subcommand and the files: the flag
		// package stops at the first positional argument, so parse what
		// is left again after each one.
		var pos []string
		rest := env.args
		for len(rest) > 0 {
			pos = append(pos, rest[0])
			if err := fs.Parse(rest[1:]); err != nil {
				return fmt.Errorf("%w: %v", errUsage, err)
			}
			rest = fs.Args()
		}
		names := slices.Sorted(maps.Keys(ingestSubcommands))
		if len(pos) == 0 {
			return fmt.Errorf("%w: guigen ingest %s [--dry-run] [--strict] FILE…", errUsage, strings.Join(names, "|"))
		}
		sub, ok := ingestSubcommands[pos[0]]
		if !ok {
			return fmt.Errorf("%w: 未知的导入类型 %q，应为 %s / unknown import kind %q, expected %s", errUsage, pos[0], strings.Join(names, "|"), pos[0], strings.Join(names, "|"))
		}
		if len(pos) == 1 {
			return fmt.Errorf("%w: 缺少文件 / no file given: guigen ingest %s FILE…", errUsage, pos[0])
		}
		if o.batch < 1 {
			return fmt.Errorf("%w: --batch 须为正数 / --batch must be positive", errUsage)
		}
		return sub(ctx, o, pos[1:], env)
	}
}

// ingestSummary is what an import did, for the report.
type ingestSummary struct {
	files      int
	rows       int
	places     int // places read from areacodes files
	otherNames int // other-name rows read
	written    int // places handed to Apply
	changed    int // place entries the change log gained: identical places are no-ops
	batches    int
	errors     []*ingest.PlaceRowError
	omitted    int
	elapsed    time.Duration
}

// ingestPlaces reads every file before writing anything, so a fatal error
// in the last file, or --strict, leaves the store as it was. Areacodes
// files are written before other-names files are merged, whatever the
// order on the command line.
func ingestPlaces(ctx context.Context, o ingestOptions, paths []string, env *runEnv) error {
	start := time.Now()
	var sum ingestSummary
	var files []ingest.PlacesFile
	for _, path := range paths {
		pf, err := readPlacesFile(path)
		if err != nil {
			return err
		}
		env.log.Info("已读取 / read", "file", path, "format", pf.Format.String(), "encoding", pf.Encoding, "rows", pf.Rows, "errors", len(pf.Errors)+pf.ErrorsOmitted)
		files = append(files, pf)
		sum.files++
		sum.rows += pf.Rows
		sum.places += len(pf.Places)
		sum.otherNames += len(pf.OtherNames)
		sum.errors = append(sum.errors, pf.Errors...)
		sum.omitted += pf.ErrorsOmitted
	}

	// pending holds the places to write by id; order keeps file order so
	// the batches are reproducible.
	pending := map[string]store.Place{}
	var order []string
	put := func(p store.Place) {
		if _, ok := pending[p.ID]; !ok {
			order = append(order, p.ID)
		}
		pending[p.ID] = p
	}
	var names []ingest.OtherPlaceName
	for _, pf := range files {
		for _, p := range pf.Places {
			put(p)
		}
		names = append(names, pf.OtherNames...)
	}

	// The store is needed to keep what an areacodes file does not carry
	// and to find the places curated names belong to; a dry run of
	// areacodes files alone does not touch it.
	var s store.Store
	if !o.dryRun || len(names) > 0 {
		var err error
		if s, err = openStore(ctx, o.cfg, env.log); err != nil {
			return err
		}
		defer closeStore(s, env.log)
		if err := keepStoredExtras(ctx, s, pending, order); err != nil {
			return err
		}
		if len(names) > 0 {
			merged, errs, err := mergeNames(ctx, s, pending, names)
			if err != nil {
				return err
			}
			for _, p := range merged {
				put(p)
			}
			sum.errors = append(sum.errors, errs...)
		}
	}

	failStrict := o.strict && (len(sum.errors) > 0 || sum.omitted > 0)
	if !o.dryRun && !failStrict {
		mark, err := lastChange(ctx, s)
		if err != nil {
			return err
		}
		batches := placeBatches(pending, order, o.batch)
		for i, b := range batches {
			if err := s.Apply(ctx, &store.Batch{Places: b}); err != nil {
				return fmt.Errorf("写入第 %d/%d 批失败，之前的批次已写入 / writing batch %d of %d failed (earlier batches are written): %w",
					i+1, len(batches), i+1, len(batches), err)
			}
			sum.written += len(b)
			sum.batches++
		}
		if sum.changed, err = countPlaceChanges(ctx, s, mark); err != nil {
			return err
		}
	}
	sum.elapsed = time.Since(start)
	printIngestSummary(env.stdout, sum, o, len(pending))
	if failStrict {
		return fmt.Errorf("--strict: %d 行有错，未写入任何数据 / %d row errors, nothing written", len(sum.errors)+sum.omitted, len(sum.errors)+sum.omitted)
	}
	return nil
}

// changesPage is the page size for walking the change log.
const changesPage = 5000

// lastChange finds the newest change-log Seq; the contract has no direct
// way to ask, so it walks the log.
func lastChange(ctx context.Context, s store.Store) (int64, error) {
	var after int64
	for {
		cs, err := s.Changes(ctx, after, changesPage)
		if err != nil {
			return 0, fmt.Errorf("无法读取变更日志 / cannot read the change log: %w", err)
		}
		if len(cs) == 0 {
			return after, nil
		}
		after = cs[len(cs)-1].Seq
	}
}

// countPlaceChanges counts place entries after the given Seq. Another
// writer's places would be counted too; an import normally runs alone.
func countPlaceChanges(ctx context.Context, s store.Store, after int64) (int, error) {
	n := 0
	for {
		cs, err := s.Changes(ctx, after, changesPage)
		if err != nil {
			return 0, fmt.Errorf("无法读取变更日志 / cannot read the change log: %w", err)
		}
		if len(cs) == 0 {
			return n, nil
		}
		for _, c := range cs {
			if c.Kind == store.KindPlace {
				n++
			}
		}
		after = cs[len(cs)-1].Seq
	}
}

func readPlacesFile(path string) (ingest.PlacesFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return ingest.PlacesFile{}, fmt.Errorf("无法打开 %s / cannot open %s: %w", path, path, err)
	}
	defer f.Close()
	pf, err := ingest.ReadPlaces(f, path)
	if err != nil {
		return pf, fmt.Errorf("无法读取 %s，未写入任何数据 / cannot read %s, nothing written: %w", path, path, err)
	}
	return pf, nil
}

// keepStoredExtras copies onto each pending place what the areacodes
// file does not know: other names merged earlier and coordinates. Apply
// replaces a place whole, so without this re-importing the table would
// drop the curated names.
func keepStoredExtras(ctx context.Context, s store.Store, pending map[string]store.Place, order []string) error {
	stored, err := getPlaces(ctx, s, order)
	if err != nil {
		return err
	}
	for id, old := range stored {
		p := pending[id]
		for _, n := range old.OtherNames {
			if !slices.Contains(p.OtherNames, n) {
				p.OtherNames = append(p.OtherNames, n)
			}
		}
		if p.Lat == 0 && p.Lon == 0 {
			p.Lat, p.Lon = old.Lat, old.Lon
		}
		pending[id] = p
	}
	return nil
}

// mergeNames attaches curated names to the places they name, found among
// the pending places and the store. It returns the places that gained a
// name and an error for each name whose code no place has.
func mergeNames(ctx context.Context, s store.Store, pending map[string]store.Place, names []ingest.OtherPlaceName) ([]store.Place, []*ingest.PlaceRowError, error) {
	// A curated row names a code ("370224") or a place id ("370224-1981");
	// every place of that code goes to MergeOtherNames, which picks among
	// the places sharing it by years.
	codes := map[string]bool{}
	direct := map[string]bool{}
	for _, n := range names {
		code, _, hasYear := strings.Cut(n.Code, "-")
		codes[code] = true
		if hasYear {
			direct[n.Code] = true
		}
	}
	named := func(p store.Place) bool { return codes[p.Code] || direct[p.ID] }
	// Pending places are what the store will hold after this run.
	var places []store.Place
	for _, id := range slices.Sorted(maps.Keys(pending)) {
		if p := pending[id]; named(p) {
			places = append(places, p)
		}
	}
	var after string
	for {
		page, err := s.ListPlaces(ctx, store.PageReq{First: store.MaxPageSize, After: after})
		if err != nil {
			return nil, nil, fmt.Errorf("无法读取已有地名 / cannot read stored places: %w", err)
		}
		for _, p := range page.Items {
			if _, ok := pending[p.ID]; !ok && named(p) {
				places = append(places, p)
			}
		}
		if !page.HasNext {
			break
		}
		after = page.EndCursor
	}
	before := make([]int, len(places))
	for i, p := range places {
		before[i] = len(p.OtherNames)
	}
	errs := ingest.MergeOtherNames(places, names)
	var changed []store.Place
	for i, p := range places {
		if len(p.OtherNames) != before[i] {
			changed = append(changed, p)
		}
	}
	return changed, errs, nil
}

func getPlaces(ctx context.Context, s store.Store, ids []string) (map[string]store.Place, error) {
	out := make(map[string]store.Place, len(ids))
	for chunk := range slices.Chunk(ids, getChunk) {
		got, err := s.GetPlaces(ctx, chunk)
		if err != nil {
			return nil, fmt.Errorf("无法读取已有地名 / cannot read stored places: %w", err)
		}
		for id, p := range got {
			out[id] = p
		}
	}
	return out, nil
}

// placeBatches splits the places into batches of about size so that
// every place a batch refers to (parent, successor, part-successor) is in
// the same batch or an earlier one: Apply checks references against the
// store and the batch only. Places that refer to each other in a cycle
// go in one batch, however many they are.
func placeBatches(pending map[string]store.Place, order []string, size int) [][]store.Place {
	// Tarjan's algorithm emits a strongly connected component only after
	// every component it refers to: dependencies first.
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var comps [][]string
	next := 0
	var visit func(id string)
	visit = func(id string) {
		index[id], low[id] = next, next
		next++
		stack = append(stack, id)
		onStack[id] = true
		for _, ref := range placeRefs(pending[id]) {
			if _, ok := pending[ref]; !ok {
				continue // in the store already, or Apply will say it is not
			}
			if _, seen := index[ref]; !seen {
				visit(ref)
				low[id] = min(low[id], low[ref])
			} else if onStack[ref] {
				low[id] = min(low[id], index[ref])
			}
		}
		if low[id] == index[id] {
			var comp []string
			for {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[top] = false
				comp = append(comp, top)
				if top == id {
					break
				}
			}
			comps = append(comps, comp)
		}
	}
	for _, id := range order {
		if _, seen := index[id]; !seen {
			visit(id)
		}
	}
	var batches [][]store.Place
	var cur []store.Place
	for _, comp := range comps {
		if len(cur) > 0 && len(cur)+len(comp) > size {
			batches = append(batches, cur)
			cur = nil
		}
		for _, id := range comp {
			cur = append(cur, pending[id])
		}
	}
	if len(cur) > 0 {
		batches = append(batches, cur)
	}
	return batches
}

func placeRefs(p store.Place) []string {
	refs := make([]string, 0, 1+len(p.ReplacedBy)+len(p.PartTo))
	if p.ParentID != "" {
		refs = append(refs, p.ParentID)
	}
	for _, c := range p.ReplacedBy {
		refs = append(refs, c.ToID)
	}
	for _, c := range p.PartTo {
		refs = append(refs, c.ToID)
	}
	return refs
}

func printIngestSummary(w io.Writer, sum ingestSummary, o ingestOptions, pending int) {
	fmt.Fprintf(w, "文件 / files:            %d\n", sum.files)
	fmt.Fprintf(w, "读取行数 / rows read:    %d\n", sum.rows)
	fmt.Fprintf(w, "地名 / places in files:  %d\n", sum.places)
	if sum.otherNames > 0 {
		fmt.Fprintf(w, "别名 / other names:      %d\n", sum.otherNames)
	}
	switch {
	case o.dryRun:
		fmt.Fprintf(w, "试运行，未写入；将写入 %d 个地名 / dry run, nothing written; would write %d places\n", pending, pending)
	case o.strict && (len(sum.errors) > 0 || sum.omitted > 0):
		fmt.Fprintf(w, "严格模式下有错误，未写入 / strict mode and row errors: nothing written\n")
	default:
		fmt.Fprintf(w, "写入地名 / places written: %d（%d 批 / batches）\n", sum.written, sum.batches)
		fmt.Fprintf(w, "新增或变更 / places changed: %d（相同的地名不重写 / identical places are left as they are）\n", sum.changed)
	}
	n := len(sum.errors) + sum.omitted
	fmt.Fprintf(w, "行错误 / row errors:     %d\n", n)
	for i, e := range sum.errors {
		if i == maxListedErrors {
			fmt.Fprintf(w, "  …另有 %d 个 / %d more\n", n-i, n-i)
			break
		}
		fmt.Fprintf(w, "  %s\n", e.Error())
	}
	if sum.omitted > 0 && len(sum.errors) <= maxListedErrors {
		fmt.Fprintf(w, "  …另有 %d 个未记录 / %d more not kept\n", sum.omitted, sum.omitted)
	}
	fmt.Fprintf(w, "用时 / elapsed:          %s\n", sum.elapsed.Round(time.Millisecond))
}
