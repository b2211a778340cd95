package media

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// validatorLevel is the IIIF Image API compliance level checked against
// the official validator (PyPI iiif-validator).
const validatorLevel = "2"

// validatorBin installs iiif-validator into a venv under the user cache
// dir (once) and returns its command.
func validatorBin(t *testing.T) string {
	t.Helper()
	return filepath.Join(pythonVenv(t, "iiif-venv", "iiif-validator"), "bin", "iiif-validate.py")
}

// pythonVenv makes (once) a venv under the user cache dir with the pip
// packages installed and returns its directory. Without python it skips,
// unless CI is set, where the checks it serves are part of the suite.
func pythonVenv(t *testing.T, name string, packages ...string) string {
	t.Helper()
	fail := t.Skipf
	if os.Getenv("CI") != "" {
		fail = t.Fatalf
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		fail("python3 not found: %v", err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		fail("no cache dir: %v", err)
	}
	venv := filepath.Join(cache, "guigen", name)
	done := filepath.Join(venv, ".installed")
	if _, err := os.Stat(done); err == nil {
		return venv
	}
	for _, args := range [][]string{
		{py, "-m", "venv", venv},
		append([]string{filepath.Join(venv, "bin", "pip"), "install", "-q"}, packages...),
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			fail("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return venv
}

func TestIIIFValidator(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	bin := validatorBin(t)
	data, err := os.ReadFile("testdata/iiif-validator-67352ccc.png")
	if err != nil {
		t.Fatal(err)
	}
	s := newService(t, Options{})
	p, err := s.Intake(context.Background(), "m1", bytes.NewReader(data), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	cmd := exec.Command(filepath.Join(filepath.Dir(bin), "python"), bin,
		"--server", host, "--prefix", "iiif", "--identifier", p.SHA256,
		"--version", "3.0", "--level", validatorLevel, "-v")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("iiif-validator level %s failed: %v", validatorLevel, err)
	}
}
