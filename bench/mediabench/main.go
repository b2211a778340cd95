// Command mediabench compares the portrait pipeline with the tools an
// archive would otherwise use, on the same generated 20–50 MP scans:
//
//   - derivative generation (the five widths and the placeholder that
//     intake makes) against vipsthumbnail from Debian's libvips-tools:
//     wall time and peak memory (max RSS) per image, each in a process of
//     its own;
//   - serving a derivative under load (wrk) against nginx serving the
//     same files from disk.
//
// It prints Markdown tables for bench/README.md. The scans are generated
// into a temporary directory and deleted; none is kept in the repository.
//
//	go run ./bench/mediabench              (needs vipsthumbnail, nginx, wrk)
//	go run ./bench/mediabench -sizes 24,48 -duration 15s
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image/jpeg"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/guigen/guigen/demo"
	"github.com/guigen/guigen/media"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "derive": // child: mediabench derive FILE DIR
			if err := derive(os.Args[2], os.Args[3]); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			return
		case "serve": // child: mediabench serve DIR ADDR
			if err := serveMedia(os.Args[2], os.Args[3]); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			return
		}
	}
	sizes := flag.String("sizes", "24,48", "megapixels of the generated scans, comma-separated")
	duration := flag.Duration("duration", 15*time.Second, "wrk duration per server")
	conns := flag.Int("c", 50, "wrk connections")
	flag.Parse()
	if err := run(*sizes, *duration, *conns); err != nil {
		slog.Error("mediabench failed", "err", err)
		os.Exit(1)
	}
}

// measured is one process run: wall time and peak resident memory.
type measured struct {
	wall  time.Duration
	maxKB int64
}

// runProc runs a command under GNU time, which reports the peak RSS of
// exactly that process.
func runProc(name string, args ...string) (measured, error) {
	tf, err := os.CreateTemp("", "mediabench-time-")
	if err != nil {
		return measured{}, err
	}
	tf.Close()
	defer os.Remove(tf.Name())
	cmd := exec.Command("/usr/bin/time", append([]string{"-o", tf.Name(), "-f", "%e %M", name}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return measured{}, fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, stderr.String())
	}
	raw, err := os.ReadFile(tf.Name())
	if err != nil {
		return measured{}, err
	}
	var secs float64
	var kb int64
	if _, err := fmt.Sscanf(strings.TrimSpace(string(raw)), "%g %d", &secs, &kb); err != nil {
		return measured{}, fmt.Errorf("GNU time said %q: %w", raw, err)
	}
	return measured{wall: time.Duration(secs * float64(time.Second)), maxKB: kb}, nil
}

func run(sizes string, duration time.Duration, conns int) error {
	for _, tool := range []string{"vipsthumbnail", "nginx", "wrk", "/usr/bin/time"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s not found (apt-get install libvips-tools nginx-light wrk time): %w", tool, err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "mediabench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// nginx's workers run as nobody: they must be able to read the files.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	vipsVersion, _ := exec.Command("vipsthumbnail", "--vips-version").Output()

	fmt.Printf("# media: derivatives and serving; %d cores; %s; vips %s\n\n", numCPU(), time.Now().UTC().Format("2006-01-02"), strings.TrimSpace(string(vipsVersion)))
	fmt.Println("| scan | file | guigen intake (5 widths + placeholder) | peak RSS | vipsthumbnail ×5 widths | peak RSS | time ratio guigen/vips | memory ratio |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	var lastDir, lastSHA string
	for i, s := range strings.Split(sizes, ",") {
		mp, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || mp <= 0 || mp > 100 {
			return fmt.Errorf("size %q: want megapixels in (0, 100]", s)
		}
		// A 3:4 portrait scan.
		w := int(math.Sqrt(mp * 1e6 * 3 / 4))
		h := w * 4 / 3
		file := filepath.Join(tmp, fmt.Sprintf("scan-%d.jpg", i))
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, demo.Paint(uint64(100+i), w, h), &jpeg.Options{Quality: 92}); err != nil {
			return err
		}
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			return err
		}
		dir := filepath.Join(tmp, fmt.Sprintf("media-%d", i))
		ours, err := runProc(self, "derive", file, dir)
		if err != nil {
			return err
		}
		var vips measured
		vdir := filepath.Join(tmp, fmt.Sprintf("vips-%d", i))
		if err := os.MkdirAll(vdir, 0o755); err != nil {
			return err
		}
		for _, width := range media.DerivativeWidths(w) {
			m, err := runProc("vipsthumbnail", file, "--size", strconv.Itoa(width)+"x", "-o", filepath.Join(vdir, "w"+strconv.Itoa(width)+".jpg[Q=85,strip]"))
			if err != nil {
				return err
			}
			vips.wall += m.wall
			vips.maxKB = max(vips.maxKB, m.maxKB)
		}
		fmt.Printf("| %d×%d (%.0f MP) | %.1f MB | %.2f s | %d MB | %.2f s | %d MB | %.2f | %.2f |\n",
			w, h, float64(w*h)/1e6, float64(buf.Len())/1e6, ours.wall.Seconds(), ours.maxKB/1024,
			vips.wall.Seconds(), vips.maxKB/1024, ours.wall.Seconds()/vips.wall.Seconds(), float64(ours.maxKB)/float64(vips.maxKB))
		lastDir = dir
		sha, err := onlySHA(dir)
		if err != nil {
			return err
		}
		lastSHA = sha
	}
	fmt.Println()
	return serving(self, lastDir, lastSHA, duration, conns)
}

func numCPU() int {
	out, err := exec.Command("nproc").Output()
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

// derive is the child process: one intake into a fresh media dir.
func derive(file, dir string) error {
	ms, err := media.New(dir, media.Options{})
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = ms.Intake(context.Background(), "m-bench", f, media.Meta{ID: "bench"})
	return err
}

func onlySHA(dir string) (string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "derivatives", "*", "*"))
	if err != nil || len(matches) != 1 {
		return "", fmt.Errorf("derivatives in %s: %v (%d)", dir, err, len(matches))
	}
	return filepath.Base(filepath.Dir(matches[0])) + filepath.Base(matches[0]), nil
}

// serveMedia is the child process: the media routes as guigen serves
// them (every image public, as a published portrait's are).
func serveMedia(dir, addr string) error {
	ms, err := media.New(dir, media.Options{})
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: addr, Handler: ms.Handler(), ReadHeaderTimeout: 5 * time.Second}
	return srv.ListenAndServe()
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitUp(url string) error {
	for range 100 {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New(url + " did not come up")
}

type wrkResult struct {
	rps            float64
	p50, p90, p99  string
	transferPerSec string
	errors         string
}

var (
	reRPS      = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	reTransfer = regexp.MustCompile(`Transfer/sec:\s+(\S+)`)
	reLat      = regexp.MustCompile(`(?m)^\s+(50|90|99)%\s+(\S+)`)
	reErr      = regexp.MustCompile(`(?m)^\s+(Socket errors:.*|Non-2xx or 3xx responses:.*)$`)
)

func wrk(url string, duration time.Duration, conns int) (wrkResult, error) {
	out, err := exec.Command("wrk", "-t2", "-c"+strconv.Itoa(conns), "-d"+duration.String(), "--latency", url).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk %s: %v\n%s", url, err, out)
	}
	var r wrkResult
	if m := reRPS.FindSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if m := reTransfer.FindSubmatch(out); m != nil {
		r.transferPerSec = string(m[1])
	}
	for _, m := range reLat.FindAllSubmatch(out, -1) {
		switch string(m[1]) {
		case "50":
			r.p50 = string(m[2])
		case "90":
			r.p90 = string(m[2])
		case "99":
			r.p99 = string(m[2])
		}
	}
	var errs []string
	for _, m := range reErr.FindAllSubmatch(out, -1) {
		errs = append(errs, strings.TrimSpace(string(m[1])))
	}
	r.errors = strings.Join(errs, "; ")
	if r.errors == "" {
		r.errors = "none"
	}
	return r, nil
}

// serving loads one derivative (w640 and w2048) from guigen's media
// handler and from nginx over the same directory.
func serving(self, dir, sha string, duration time.Duration, conns int) error {
	ours, err := freePort()
	if err != nil {
		return err
	}
	g := exec.Command(self, "serve", dir, ours)
	if err := g.Start(); err != nil {
		return err
	}
	defer func() { _ = g.Process.Kill(); _ = g.Wait() }()

	ngAddr, err := freePort()
	if err != nil {
		return err
	}
	ngDir, err := os.MkdirTemp("", "mediabench-nginx-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(ngDir)
	conf := fmt.Sprintf(`daemon off;
worker_processes auto;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  types { image/jpeg jpg; }
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  server {
    listen %[2]s;
    location /d/ { alias %[3]s/derivatives/; etag on; add_header Cache-Control "public, max-age=31536000, immutable"; }
  }
}
`, ngDir, ngAddr, dir)
	confPath := filepath.Join(ngDir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return err
	}
	ng := exec.Command("nginx", "-c", confPath, "-p", ngDir)
	var ngErr bytes.Buffer
	ng.Stderr = &ngErr
	if err := ng.Start(); err != nil {
		return err
	}
	defer func() { _ = ng.Process.Signal(syscall.SIGQUIT); _ = ng.Wait() }()

	fmt.Printf("| server | file | connections | requests/s | p50 | p90 | p99 | transfer/s | errors |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, file := range []string{"w640.jpg", "w2048.jpg"} {
		gURL := "http://" + ours + "/media/" + sha + "/" + file
		nURL := "http://" + ngAddr + "/d/" + sha[:2] + "/" + sha[2:] + "/" + file
		for _, u := range []string{gURL, nURL} {
			if err := waitUp(u); err != nil {
				return fmt.Errorf("%w (nginx: %s)", err, ngErr.String())
			}
		}
		gr, err := wrk(gURL, duration, conns)
		if err != nil {
			return err
		}
		nr, err := wrk(nURL, duration, conns)
		if err != nil {
			return err
		}
		fmt.Printf("| guigen media | %s | %d | %.0f | %s | %s | %s | %s | %s |\n", file, conns, gr.rps, gr.p50, gr.p90, gr.p99, gr.transferPerSec, gr.errors)
		fmt.Printf("| nginx 1 worker/core | %s | %d | %.0f | %s | %s | %s | %s | %s |\n", file, conns, nr.rps, nr.p50, nr.p90, nr.p99, nr.transferPerSec, nr.errors)
		fmt.Printf("| ratio guigen/nginx | %s | | %.2f | | | | | |\n", file, gr.rps/nr.rps)
	}
	return nil
}
