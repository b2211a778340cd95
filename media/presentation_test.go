package media

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/guigen/guigen/store"
)

type fakeCatalog struct {
	portraits map[string]store.Portrait
	exhibits  map[string]store.Exhibit
}

func (f fakeCatalog) GetPortraits(_ context.Context, ids []string) (map[string]store.Portrait, error) {
	out := map[string]store.Portrait{}
	for _, id := range ids {
		if p, ok := f.portraits[id]; ok {
			out[id] = p
		}
	}
	return out, nil
}

func (f fakeCatalog) GetExhibits(_ context.Context, ids []string) (map[string]store.Exhibit, error) {
	out := map[string]store.Exhibit{}
	for _, id := range ids {
		if e, ok := f.exhibits[id]; ok {
			out[id] = e
		}
	}
	return out, nil
}

func presentationServer(t *testing.T) (*httptest.Server, fakeCatalog) {
	t.Helper()
	s := newService(t, Options{})
	cat := fakeCatalog{portraits: map[string]store.Portrait{}, exhibits: map[string]store.Exhibit{}}
	for i, id := range []string{"p-b", "p-a", "p-hidden"} {
		p, err := s.Intake(context.Background(), "m"+id, bytes.NewReader(encJPEG(t, painting(700+i, 900))), Meta{
			ID: id, Artist: "李画家", Painted: store.Date{Year: 2023, Month: 5}, BasedOn: "侄子王建国",
			Revision: 3, Reconstruction: true, AccessionNo: "SHA-2024-00" + id, Archive: "上海市档案馆",
			Rights: "http://rightsstatements.org/vocab/InC/1.0/", CaptionZH: "王德明烈士像", CaptionEN: "Portrait of Wang Deming",
			FamilyConsent: true, Published: id != "p-hidden",
		})
		if err != nil {
			t.Fatal(err)
		}
		cat.portraits[id] = p
	}
	cat.exhibits["e1"] = store.Exhibit{ID: "e1", Title: "归根：百位英烈画像展", TitleEN: "Homecoming: 100 Portraits",
		Venue: "上海", Start: store.Date{Year: 2024, Month: 4, Day: 5}, End: store.Date{Year: 2024, Month: 5, Day: 5},
		PortraitIDs: []string{"p-b", "p-hidden", "p-a", "p-missing"}, Published: true}
	cat.exhibits["e-draft"] = store.Exhibit{ID: "e-draft", Title: "草稿", PortraitIDs: []string{"p-a"}}
	mux := http.NewServeMux()
	s.Routes(mux, nil)
	s.PresentationRoutes(mux, cat)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, cat
}

func decodeJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return m
}

// checkLangMap asserts v is a IIIF language map: languages to non-empty
// string lists.
func checkLangMap(t *testing.T, what string, v any, langs ...string) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		t.Fatalf("%s: not a language map: %#v", what, v)
	}
	for k, vals := range m {
		l, ok := vals.([]any)
		if !ok || len(l) == 0 {
			t.Fatalf("%s[%s]: %#v", what, k, vals)
		}
		for _, s := range l {
			if _, ok := s.(string); !ok {
				t.Fatalf("%s[%s]: %#v", what, k, s)
			}
		}
	}
	for _, l := range langs {
		if _, ok := m[l]; !ok {
			t.Fatalf("%s lacks %q: %#v", what, l, m)
		}
	}
}

func checkLabelValue(t *testing.T, what string, v any) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: %#v", what, v)
	}
	checkLangMap(t, what+".label", m["label"], "zh", "en")
	checkLangMap(t, what+".value", m["value"])
}

var (
	navDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)
	rightsRE  = regexp.MustCompile(`^https?://(creativecommons\.org/licenses/|rightsstatements\.org/vocab/)`)
)

func checkCommon(t *testing.T, m map[string]any, typ, id string) {
	t.Helper()
	if m["@context"] != "http://iiif.io/api/presentation/3/context.json" || m["type"] != typ || m["id"] != id {
		t.Fatalf("@context/type/id: %v %v %v", m["@context"], m["type"], m["id"])
	}
	checkLangMap(t, "label", m["label"], "zh", "en")
	if r, _ := m["rights"].(string); !rightsRE.MatchString(r) {
		t.Fatalf("rights %v", m["rights"])
	}
	checkLabelValue(t, "requiredStatement", m["requiredStatement"])
	if md, ok := m["metadata"].([]any); !ok || len(md) == 0 {
		t.Fatalf("metadata %v", m["metadata"])
	} else {
		for _, e := range md {
			checkLabelValue(t, "metadata", e)
		}
	}
	if nd, _ := m["navDate"].(string); !navDateRE.MatchString(nd) {
		t.Fatalf("navDate %v", m["navDate"])
	}
}

func TestManifest(t *testing.T) {
	srv, cat := presentationServer(t)
	resp, body := get(t, srv.URL+"/presentation/manifest/p-a", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
	m := decodeJSON(t, body)
	checkCommon(t, m, "Manifest", srv.URL+"/presentation/manifest/p-a")
	if m["navDate"] != "2023-05-01T00:00:00Z" {
		t.Errorf("navDate %v", m["navDate"])
	}
	p := cat.portraits["p-a"]
	items := m["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("canvases %d", len(items))
	}
	canvas := items[0].(map[string]any)
	if canvas["type"] != "Canvas" || canvas["width"] != float64(p.Width) || canvas["height"] != float64(p.Height) {
		t.Fatalf("canvas %v", canvas)
	}
	page := canvas["items"].([]any)[0].(map[string]any)
	anno := page["items"].([]any)[0].(map[string]any)
	if page["type"] != "AnnotationPage" || anno["type"] != "Annotation" || anno["motivation"] != "painting" || anno["target"] != canvas["id"] {
		t.Fatalf("annotation %v", anno)
	}
	body2 := anno["body"].(map[string]any)
	svc := body2["service"].([]any)[0].(map[string]any)
	if svc["type"] != "ImageService3" || svc["id"] != srv.URL+"/iiif/"+p.SHA256 {
		t.Fatalf("service %v", svc)
	}
	// Every URL the manifest names resolves.
	thumb := m["thumbnail"].([]any)[0].(map[string]any)
	for _, u := range []string{body2["id"].(string), svc["id"].(string) + "/info.json", thumb["id"].(string)} {
		if resp, _ := get(t, u, nil); resp.StatusCode != 200 {
			t.Errorf("%s: %d", u, resp.StatusCode)
		}
	}
	for _, u := range []string{"/presentation/manifest/p-hidden", "/presentation/manifest/nope", "/presentation/collection/e-draft", "/presentation/collection/nope"} {
		if resp, _ := get(t, srv.URL+u, nil); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", u, resp.StatusCode)
		}
	}
}

func TestCollection(t *testing.T) {
	srv, _ := presentationServer(t)
	resp, body := get(t, srv.URL+"/presentation/collection/e1", map[string]string{"Accept": "application/ld+json"})
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	c := decodeJSON(t, body)
	checkCommon(t, c, "Collection", srv.URL+"/presentation/collection/e1")
	items := c["items"].([]any)
	var ids []string
	for _, it := range items {
		m := it.(map[string]any)
		if m["type"] != "Manifest" {
			t.Fatalf("item %v", m)
		}
		checkLangMap(t, "item label", m["label"], "zh", "en")
		ids = append(ids, m["id"].(string))
	}
	// Curated order kept; unpublished and missing portraits left out.
	want := []string{srv.URL + "/presentation/manifest/p-b", srv.URL + "/presentation/manifest/p-a"}
	if len(ids) != 2 || ids[0] != want[0] || ids[1] != want[1] {
		t.Fatalf("items %v, want %v", ids, want)
	}
	for _, u := range ids {
		if resp, _ := get(t, u, nil); resp.StatusCode != 200 {
			t.Errorf("%s: %d", u, resp.StatusCode)
		}
	}
}
