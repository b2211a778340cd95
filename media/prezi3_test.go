package media

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// prezi3Version is the iiif-prezi3 release the manifests are checked
// with; pinned so that a new release cannot change the verdict unseen.
const prezi3Version = "3.1.1"

// prezi3Python installs iiif-prezi3 into a venv under the user cache dir
// (once) and returns its python.
func prezi3Python(t *testing.T) string {
	t.Helper()
	venv := pythonVenv(t, "prezi3-"+prezi3Version, "iiif-prezi3=="+prezi3Version)
	return filepath.Join(venv, "bin", "python")
}

// prezi3 runs testdata/prezi3_check.py on docs as kind and returns its
// verdict and output.
func prezi3(t *testing.T, py, kind string, docs ...[]byte) (bool, string) {
	t.Helper()
	dir := t.TempDir()
	args := []string{"testdata/prezi3_check.py", kind}
	for i, d := range docs {
		f := filepath.Join(dir, kind+string(rune('a'+i))+".json")
		if err := os.WriteFile(f, d, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
	}
	out, err := exec.Command(py, args...).CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("prezi3_check: %v\n%s", err, out)
	}
	return err == nil, string(out)
}

// TestPresentationSchema checks the manifests and collections against
// iiif-prezi3's models, which IIIF generates from the official
// Presentation 3 JSON schema; the schema file itself is not published to
// any package registry this project can reach.
func TestPresentationSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	py := prezi3Python(t)
	srv, _ := presentationServer(t)
	var manifests [][]byte
	for _, id := range []string{"p-a", "p-b"} {
		resp, body := get(t, srv.URL+"/presentation/manifest/"+id, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("manifest %s: %d", id, resp.StatusCode)
		}
		manifests = append(manifests, body)
	}
	if ok, out := prezi3(t, py, "Manifest", manifests...); !ok {
		t.Errorf("manifests do not validate:\n%s", out)
	}
	resp, coll := get(t, srv.URL+"/presentation/collection/e1", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("collection: %d", resp.StatusCode)
	}
	if ok, out := prezi3(t, py, "Collection", coll); !ok {
		t.Errorf("collection does not validate:\n%s", out)
	}

	// The check can fail: a rights value that is not a URI, a key the
	// specification does not define, and items that are not a list are
	// each caught.
	for name, broken := range map[string]string{
		"rights not a URI": strings.Replace(string(manifests[0]), `"rights":"http://rightsstatements.org/vocab/InC/1.0/"`, `"rights":"版权所有"`, 1),
		"unknown key":      strings.Replace(string(manifests[0]), `"type":"Manifest"`, `"type":"Manifest","caption":"x"`, 1),
		"items not a list": strings.Replace(string(coll), `"type":"Collection"`, `"type":"Collection","items":"none"`, 1),
	} {
		if broken == string(manifests[0]) || broken == string(coll) {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		kind := "Manifest"
		if name == "items not a list" {
			kind = "Collection"
		}
		if ok, out := prezi3(t, py, kind, []byte(broken)); ok {
			t.Errorf("%s: accepted\n%s", name, out)
		}
	}
}
