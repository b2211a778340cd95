package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/store"
)

// miniPlaces is a hand-made corner of Shandong: renamed and upgraded
// counties, townships and villages under the old county names, an other
// name, and a decoy 崂山 outside Qingdao.
func miniPlaces() []store.Place {
	return []store.Place{
		{ID: "sd", Name: "山东省", Level: store.LevelProvince},
		{ID: "qd", Name: "青岛市", Level: store.LevelPrefecture, ParentID: "sd"},
		{ID: "yt", Name: "烟台市", Level: store.LevelPrefecture, ParentID: "sd"},
		{ID: "jx", Name: "胶县", Level: store.LevelCounty, ParentID: "qd", To: 1987,
			ReplacedBy: []store.PlaceChange{{ToID: "jzs", Year: 1987, Kind: "upgrade"}}},
		{ID: "jzs", Name: "胶州市", Level: store.LevelCounty, ParentID: "qd", From: 1987},
		{ID: "jmx", Name: "即墨县", Level: store.LevelCounty, ParentID: "qd", To: 1989,
			ReplacedBy: []store.PlaceChange{{ToID: "jms", Year: 1989, Kind: "upgrade"}}},
		{ID: "jms", Name: "即墨市", Level: store.LevelCounty, ParentID: "qd", From: 1989, To: 2017,
			ReplacedBy: []store.PlaceChange{{ToID: "jmq", Year: 2017, Kind: "other"}}},
		{ID: "jmq", Name: "即墨区", Level: store.LevelCounty, ParentID: "qd", From: 2017},
		{ID: "lsx", Name: "崂山县", Level: store.LevelCounty, ParentID: "qd", To: 1988,
			ReplacedBy: []store.PlaceChange{{ToID: "lsq", Year: 1988, Kind: "other"}},
			PartTo:     []store.PlaceChange{{ToID: "jmx", Year: 1961}}},
		{ID: "lsq", Name: "崂山区", Level: store.LevelCounty, ParentID: "qd", From: 1988,
			OtherNames: []store.PlaceName{{Name: "劳山", Kind: "historical"}}},
		{ID: "ly", Name: "莱阳县", Level: store.LevelCounty, ParentID: "yt"},
		{ID: "ly-ls", Name: "崂山镇", Level: store.LevelTownship, ParentID: "ly"},
		{ID: "jx-jl", Name: "九龙乡", Level: store.LevelTownship, ParentID: "jx"},
		{ID: "jx-jl-sj", Name: "孙家艾泊村", Level: store.LevelVillage, ParentID: "jx-jl"},
		{ID: "jx-dd", Name: "大店镇", Level: store.LevelTownship, ParentID: "jx"},
		{ID: "jmx-lc", Name: "灵山公社", Level: store.LevelTownship, ParentID: "jmx"},
		{ID: "lsx-wz", Name: "王哥庄镇", Level: store.LevelTownship, ParentID: "lsx"},
	}
}

func hasText(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestGazetteerResolve(t *testing.T) {
	g := NewGazetteer(miniPlaces())
	tests := []struct {
		text    string
		want    string   // id of the first resolution
		reasons []string // substrings of its reasons
		current []string // ids of its successors in use
		also    string   // another id among the resolutions
	}{
		{text: "山东省胶县九龙公社孙家艾泊村", want: "jx-jl-sj", reasons: []string{"「公社」即今「乡」"}},
		{text: "山东胶州", want: "jzs", reasons: []string{"缺「省」", "缺「市」"}},
		{text: "山东省胶县", want: "jx", reasons: []string{"胶县→胶州市 (1987)"}, current: []string{"jzs"}},
		{text: "即墨县", want: "jmx", reasons: []string{"即墨县→即墨市 (1989)→即墨区 (2017)"}, current: []string{"jmq"}},
		{text: "即墨", want: "jmq", reasons: []string{"缺「区」"}, also: "jmx"},
		{text: "青岛市崂山", want: "lsq", also: "lsx"},
		{text: "青岛崂山区王哥庄", want: "lsx-wz", reasons: []string{"缺「镇」"}},
		{text: "烟台崂山", want: "ly-ls"},
		{text: "崂山", want: "lsq", also: "ly-ls"},
		{text: "青岛劳山", want: "lsq", reasons: []string{"旧称 劳山→崂山区"}},
		{text: "山東省膠縣", want: "jx", reasons: []string{"胶县→胶州市"}},
		{text: "胶州市九龙乡孙家艾泊村", want: "jx-jl-sj"},
		{text: "胶县九龙孙家艾柏村", want: "jx-jl-sj", reasons: []string{"柏/泊"}},
		{text: "胶县大店公社大店大队第三生产队", want: "jx-dd", reasons: []string{"未识别"}},
		{text: "山东省即墨县灵山公社", want: "jmx-lc"},
		{text: "山东省青岛专区胶县", want: "jx", reasons: []string{"「专区」今作「市」"}},
		{text: "即墨区灵山公社", want: "jmx-lc"},
		{text: "原籍山东即墨", want: "jmq", reasons: []string{"略去「原籍」"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			rs := g.Resolve(tt.text)
			if len(rs) == 0 {
				t.Fatalf("no resolution")
			}
			r := rs[0]
			if r.PlaceID != tt.want {
				t.Fatalf("first = %s %+v, want %s; all %+v", r.PlaceID, r, tt.want, rs)
			}
			for _, s := range tt.reasons {
				if !hasText(r.Reasons, s) {
					t.Errorf("reasons %q lack %q", r.Reasons, s)
				}
			}
			if tt.current != nil && fmt.Sprint(r.Current) != fmt.Sprint(tt.current) {
				t.Errorf("current = %v, want %v", r.Current, tt.current)
			}
			if tt.also != "" {
				found := false
				for _, x := range rs {
					found = found || x.PlaceID == tt.also
				}
				if !found {
					t.Errorf("%s not among %+v", tt.also, rs)
				}
			}
			if r.Score <= 0 || r.Score > 1.0001 {
				t.Errorf("score %v", r.Score)
			}
		})
	}
	for _, text := range []string{"", "北京", "xyz", "！！"} {
		if rs := g.Resolve(text); len(rs) != 0 {
			t.Errorf("Resolve(%q) = %+v, want none", text, rs)
		}
	}
	// Exact beats one wrong character, and a suffix present beats one
	// missing.
	exact, fuzzy := g.Resolve("孙家艾泊村"), g.Resolve("孙家艾柏村")
	if len(exact) == 0 || len(fuzzy) == 0 || exact[0].Score <= fuzzy[0].Score {
		t.Errorf("exact %+v vs one wrong %+v", exact, fuzzy)
	}
	full, short := g.Resolve("胶州市"), g.Resolve("胶州")
	if full[0].Score <= short[0].Score {
		t.Errorf("胶州市 %v vs 胶州 %v", full[0].Score, short[0].Score)
	}
}

func TestGazetteerLineageSameArea(t *testing.T) {
	g := NewGazetteer(miniPlaces())
	if got := fmt.Sprint(g.Lineage("jx-jl-sj")); got != "[jx-jl-sj jx-jl jx qd sd]" {
		t.Errorf("Lineage = %s", got)
	}
	if g.Lineage("nope") != nil {
		t.Errorf("Lineage of an unknown id")
	}
	tests := []struct {
		a, b   string
		same   bool
		reason string
	}{
		{"jx-jl-sj", "jzs", true, "胶县→胶州市 (1987)"},
		{"jzs", "jx-jl-sj", true, "胶县→胶州市 (1987)"},
		{"jx", "jzs", true, "胶县→胶州市 (1987)"},
		{"jmq", "jmx", true, "即墨县→即墨市 (1989)→即墨区 (2017)"},
		{"jx-jl", "qd", true, "九龙乡 属 青岛市"},
		{"jx", "jx", true, "同一地点"},
		{"lsx", "jmx", false, ""}, // a partial transfer is not identity
		{"ly-ls", "lsq", false, ""},
		{"jx", "jmq", false, ""},
		{"jx", "nope", false, ""},
	}
	for _, tt := range tests {
		same, why := g.SameArea(tt.a, tt.b)
		if same != tt.same || !strings.Contains(why, tt.reason) {
			t.Errorf("SameArea(%s, %s) = %v %q, want %v %q", tt.a, tt.b, same, why, tt.same, tt.reason)
		}
	}
}

// A search for 胶州市 finds a record whose hometown says 胶县 and says why.
func TestGazetteerHometowns(t *testing.T) {
	ctx := context.Background()
	g := NewGazetteer(miniPlaces())
	x, err := Open(filepath.Join(t.TempDir(), "idx"), WithHometownMatcher(NewHometowns(g)), WithCandidates(100))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rng := rand.New(rand.NewPCG(7, 11))
	surnames := []rune("王李张刘陈杨赵黄周吴")
	given := []rune("德明华玉山福贵春生国英")
	homes := []string{"山东省即墨县灵山公社", "山东省莱阳县", "青岛崂山区王哥庄", "河北省献县", ""}
	var ms []store.Martyr
	for i := range 200 {
		n := string(surnames[rng.IntN(len(surnames))]) + string(given[rng.IntN(len(given))]) + string(given[rng.IntN(len(given))])
		ms = append(ms, store.Martyr{ID: fmt.Sprintf("m%03d", i), Name: n, HometownText: homes[rng.IntN(len(homes))]})
	}
	ms = append(ms,
		store.Martyr{ID: "target", Name: "刘玉山", HometownText: "山东省胶县九龙公社孙家艾泊村"},
		store.Martyr{ID: "other1", Name: "刘玉山", HometownText: "山东省即墨县"},
		store.Martyr{ID: "other2", Name: "刘玉山", HometownText: "山东莱阳"},
		store.Martyr{ID: "other3", Name: "刘玉山"},
	)
	if err := x.Index(ctx, ms); err != nil {
		t.Fatal(err)
	}
	hits, err := x.Search(ctx, Query{Name: "刘玉山", Hometown: "胶州市"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) < 4 || hits[0].MartyrID != "target" || !hasReason(hits[0], ReasonHometown, "胶县→胶州市 (1987)") {
		t.Fatalf("胶州市 vs 胶县: %+v", hits)
	}
	if hits[0].Score <= hits[1].Score {
		t.Errorf("hometown did not raise the score: %+v", hits[:2])
	}
	// With the text comparison the old name does not help.
	y, err := Open(filepath.Join(t.TempDir(), "idx2"), WithCandidates(100))
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	if err := y.Index(ctx, ms); err != nil {
		t.Fatal(err)
	}
	plain, _ := y.Search(ctx, Query{Name: "刘玉山", Hometown: "胶州市"})
	for _, h := range plain {
		if h.MartyrID == "target" && h.Score >= hits[0].Score {
			t.Errorf("text matcher scored the renamed county as high: %+v", h)
		}
	}
	// The hometown alone: the old name is searched for too.
	hits, _ = x.Search(ctx, Query{Hometown: "胶州市"})
	if len(hits) == 0 || hits[0].MartyrID != "target" {
		t.Errorf("hometown alone: %+v", hits)
	}
	// A record naming only the province agrees less.
	hits, _ = x.Search(ctx, Query{Name: "刘玉山", Hometown: "即墨区灵山"})
	if len(hits) == 0 || hits[0].MartyrID != "other1" || !hasReason(hits[0], ReasonHometown, "籍贯只写到") {
		t.Errorf("即墨区灵山: %+v", hits)
	}
}

// The real areacodes table: old county names resolve to places whose
// successors are today's.
func TestGazetteerAreaCodes(t *testing.T) {
	const path = "/work/shared/data/areacodes/result.csv"
	f, err := os.Open(path)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI: %v", err)
		}
		t.Skipf("no areacodes file: %v", err)
	}
	defer f.Close()
	pf, err := ingest.ReadPlaces(f, path)
	if err != nil {
		t.Fatal(err)
	}
	g := NewGazetteer(pf.Places)
	tests := []struct{ text, want string }{
		{"山东省胶县", "胶州市"},
		{"山东掖县", "莱州市"},
		{"黄县", "龙口市"},
		{"即墨县", "即墨区"},
		{"山東省膠縣", "胶州市"},
		{"青岛市崂山", "崂山区"},
		{"山东省胶县九龙公社孙家艾泊村", "胶州市"},
		{"四川巴县", "巴南区"},
		{"山东蓬莱县", "蓬莱"},
		{"河北献县", "献县"},
		{"山东省潍坊地区昌邑县", "昌邑市"},
		{"江苏省苏州专区常熟县", "常熟市"},
		{"四川省万县", "万州区"},
	}
	for _, tt := range tests {
		rs := g.Resolve(tt.text)
		if len(rs) == 0 {
			t.Errorf("%s: no resolution", tt.text)
			continue
		}
		r := rs[0]
		t.Logf("%s → %s %.3f path %v now %v %q", tt.text, r.Name, r.Score, r.Path, r.Current, r.Reasons)
		names := []string{r.Name}
		for _, c := range r.Current {
			names = append(names, g.places[c].Name)
		}
		if !hasText(names, tt.want) {
			t.Errorf("%s: %s (now %v), reasons %q; want %s", tt.text, r.Name, names, r.Reasons, tt.want)
		}
		if !hasText(names[:1], strings.TrimSuffix(tt.want, "区")) && len(r.Reasons) == 0 {
			t.Errorf("%s: renamed without a reason", tt.text)
		}
	}
	old, now := g.Resolve("山东省胶县"), g.Resolve("山东省胶州市")
	if same, why := g.SameArea(old[0].PlaceID, now[0].PlaceID); !same || !strings.Contains(why, "胶县→胶州市") {
		t.Errorf("SameArea(胶县, 胶州市) = %v %q", same, why)
	}
	if same, _ := g.SameArea(old[0].PlaceID, g.Resolve("山东掖县")[0].PlaceID); same {
		t.Errorf("胶县 and 掖县 the same area")
	}
	texts := []string{"山东省胶县九龙公社孙家艾泊村", "山东胶州", "即墨县", "青岛市崂山", "河北省献县", "四川省巴县"}
	start := time.Now()
	n := 0
	for time.Since(start) < 300*time.Millisecond {
		g.Resolve(texts[n%len(texts)])
		n++
	}
	t.Logf("%d places, %v per Resolve", len(pf.Places), time.Since(start)/time.Duration(n))
	// Text naming no place costs a scan of the places for one wrong
	// character, once.
	start, n = time.Now(), 0
	for time.Since(start) < 300*time.Millisecond {
		g.Resolve("不知道哪里的地方" + strings.Repeat("某", n%50))
		n++
	}
	t.Logf("%v per Resolve of text naming no place", time.Since(start)/time.Duration(n))
}

func FuzzResolve(f *testing.F) {
	g := NewGazetteer(miniPlaces())
	for _, s := range []string{"山东省胶县九龙公社孙家艾泊村", "胶州", "崂山崂山崂山", "县县县", "青岛市市", "孙家艾柏", "\x00山"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range g.Resolve(s) {
			if _, ok := g.places[r.PlaceID]; !ok || len(r.Path) == 0 {
				t.Fatalf("bad resolution %+v", r)
			}
			g.SameArea(r.PlaceID, r.Path[0])
		}
	})
}
