package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/image/tiff"
)

// painting makes a w×h image with smooth colour fields, so resizing and
// JPEG have something real to work on.
func painting(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x + y) % 256), 255})
		}
	}
	return img
}

func encJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encTIFF(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := tiff.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const secret = "GUIGEN-GPS-31.2304N-121.4737E"

// withExif inserts an APP1 Exif segment with the given orientation and a
// secret string standing for GPS data right after the JPEG's SOI.
func withExif(jpg []byte, orientation uint16) []byte {
	var tiffHdr bytes.Buffer
	tiffHdr.WriteString("MM\x00\x2a")
	binary.Write(&tiffHdr, binary.BigEndian, uint32(8))
	binary.Write(&tiffHdr, binary.BigEndian, uint16(1)) // one IFD entry
	binary.Write(&tiffHdr, binary.BigEndian, uint16(0x0112))
	binary.Write(&tiffHdr, binary.BigEndian, uint16(3)) // SHORT
	binary.Write(&tiffHdr, binary.BigEndian, uint32(1))
	binary.Write(&tiffHdr, binary.BigEndian, orientation)
	binary.Write(&tiffHdr, binary.BigEndian, uint16(0))
	binary.Write(&tiffHdr, binary.BigEndian, uint32(0)) // no next IFD
	tiffHdr.WriteString(secret)
	payload := append([]byte("Exif\x00\x00"), tiffHdr.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// bombJPEG is a JPEG header claiming a w×h frame and nothing else: a few
// hundred bytes that would make a naive decoder reserve gigabytes.
func bombJPEG(w, h int) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	// A comment pads it to a realistic header size.
	com := bytes.Repeat([]byte("x"), 602)
	b = append(b, 0xFF, 0xFE, byte((len(com)+2)>>8), byte(len(com)+2))
	b = append(b, com...)
	b = append(b, 0xFF, 0xC0, 0x00, 0x11, 0x08, byte(h>>8), byte(h), byte(w>>8), byte(w), 0x03,
		0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01)
	// Start of scan, then the data simply ends.
	return append(b, 0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00)
}

func newService(t testing.TB, o Options) *Service {
	t.Helper()
	s, err := New(t.TempDir(), o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// files lists every regular file under dir, relative.
func files(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

func TestIntakeFormats(t *testing.T) {
	ctx := context.Background()
	img := painting(3000, 2000)
	cases := []struct {
		name, mime string
		data       []byte
	}{
		{"jpeg", "image/jpeg", encJPEG(t, img)},
		{"png", "image/png", encPNG(t, img)},
		{"tiff", "image/tiff", encTIFF(t, img)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newService(t, Options{})
			p, err := s.Intake(ctx, "m1", bytes.NewReader(c.data), Meta{Artist: "张三", Reconstruction: true})
			if err != nil {
				t.Fatal(err)
			}
			if p.Mime != c.mime || p.Width != 3000 || p.Height != 2000 || p.Bytes != int64(len(c.data)) {
				t.Fatalf("portrait = %+v", p)
			}
			if p.Artist != "张三" || !p.Reconstruction || p.MartyrID != "m1" || !strings.HasPrefix(p.Placeholder, "data:image/jpeg;base64,") {
				t.Fatalf("meta not carried: %+v", p)
			}
			info, err := s.Info(p.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			if len(info.Derivatives) != 5 {
				t.Fatalf("derivatives = %v", info.Derivatives)
			}
			for i, w := range Widths {
				data, err := os.ReadFile(filepath.Join(s.derivDir(p.SHA256), "w"+strconv.Itoa(w)+".jpg"))
				if err != nil {
					t.Fatal(err)
				}
				cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
				if err != nil || format != "jpeg" || cfg.Width != w || cfg.Height != info.Derivatives[i].Height {
					t.Fatalf("w%d: %v %s %+v", w, err, format, cfg)
				}
				if want := w * 2000 / 3000; abs(cfg.Height-want) > 1 {
					t.Fatalf("w%d height %d, want ~%d", w, cfg.Height, want)
				}
			}
			orig, err := os.ReadFile(s.originalPath(p.SHA256))
			if err != nil || !bytes.Equal(orig, c.data) {
				t.Fatalf("original not stored byte for byte: %v", err)
			}
		})
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestIntakeNoUpscale(t *testing.T) {
	s := newService(t, Options{})
	p, err := s.Intake(context.Background(), "m1", bytes.NewReader(encPNG(t, painting(500, 700))), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	info, _ := s.Info(p.SHA256)
	want := []Size{{160, 224}, {320, 448}}
	if len(info.Derivatives) != len(want) || info.Derivatives[0] != want[0] || info.Derivatives[1] != want[1] {
		t.Fatalf("derivatives = %v, want %v", info.Derivatives, want)
	}
	tiny, err := s.Intake(context.Background(), "m1", bytes.NewReader(encPNG(t, painting(100, 50))), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	info, _ = s.Info(tiny.SHA256)
	if len(info.Derivatives) != 1 || info.Derivatives[0] != (Size{100, 50}) {
		t.Fatalf("tiny derivatives = %v", info.Derivatives)
	}
}

func TestIntakeExifOrientationAndStripping(t *testing.T) {
	s := newService(t, Options{})
	data := withExif(encJPEG(t, painting(400, 200)), 6) // 6: rotate 90° clockwise
	if !bytes.Contains(data, []byte(secret)) {
		t.Fatal("test input lacks the marker")
	}
	p, err := s.Intake(context.Background(), "m1", bytes.NewReader(data), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 200 || p.Height != 400 {
		t.Fatalf("orientation not applied: %d×%d", p.Width, p.Height)
	}
	dd := s.derivDir(p.SHA256)
	for _, name := range files(t, dd) {
		b, _ := os.ReadFile(filepath.Join(dd, name))
		if bytes.Contains(b, []byte(secret)) || bytes.Contains(b, []byte("Exif\x00")) {
			t.Errorf("%s still carries metadata", name)
		}
	}
	if strings.Contains(p.Placeholder, secret) {
		t.Error("placeholder carries metadata")
	}
	// The rendered IIIF output is a published derivative too.
	out, _, err := s.Render(context.Background(), p.SHA256, "full", "max", "0", "default.jpg")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	if bytes.Contains(b, []byte(secret)) || bytes.Contains(b, []byte("Exif\x00")) {
		t.Error("IIIF output carries metadata")
	}
}

func TestIntakeDuplicate(t *testing.T) {
	s := newService(t, Options{})
	data := encJPEG(t, painting(800, 600))
	p1, err := s.Intake(context.Background(), "m1", bytes.NewReader(data), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	before := files(t, s.dir)
	st1, _ := os.Stat(filepath.Join(s.derivDir(p1.SHA256), "w640.jpg"))
	p2, err := s.Intake(context.Background(), "m1", bytes.NewReader(data), Meta{})
	if err != nil {
		t.Fatal(err)
	}
	st2, _ := os.Stat(filepath.Join(s.derivDir(p1.SHA256), "w640.jpg"))
	if p1.SHA256 != p2.SHA256 || p1.ID != p2.ID || p1.Placeholder != p2.Placeholder || p1.Width != p2.Width {
		t.Fatalf("duplicate differs: %+v vs %+v", p1, p2)
	}
	if !st1.ModTime().Equal(st2.ModTime()) || len(files(t, s.dir)) != len(before) {
		t.Fatal("duplicate rewrote files")
	}
}

func TestIntakeRefusals(t *testing.T) {
	img := encJPEG(t, painting(300, 200))
	bigPNG := encPNG(t, image.NewGray(image.Rect(0, 0, 1, 1)))
	// A PNG whose IHDR claims 50000×50000, with a valid CRC.
	binary.BigEndian.PutUint32(bigPNG[16:], 50000)
	binary.BigEndian.PutUint32(bigPNG[20:], 50000)
	binary.BigEndian.PutUint32(bigPNG[29:], crc32.ChecksumIEEE(bigPNG[12:29]))
	gif := []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
	cases := []struct {
		name string
		data []byte
		opt  Options
		want error
	}{
		{"bomb jpeg 30000x30000", bombJPEG(30000, 30000), Options{}, ErrTooLarge},
		{"side over 20000", bombJPEG(20001, 10), Options{}, ErrTooLarge},
		{"png huge declared", bigPNG, Options{}, ErrTooLarge},
		{"over byte limit", img, Options{MaxBytes: int64(len(img) - 1)}, ErrTooLarge},
		{"pixel limit", img, Options{MaxPixels: 300*200 - 1}, ErrTooLarge},
		{"not an image", []byte("姓名,籍贯\n王德明,山东\n"), Options{}, ErrUnsupported},
		{"gif refused", gif, Options{}, ErrUnsupported},
		{"empty", nil, Options{}, ErrUnsupported},
		{"truncated jpeg", img[:len(img)/2], Options{}, ErrBadImage},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newService(t, c.opt)
			_, err := s.Intake(context.Background(), "m1", bytes.NewReader(c.data), Meta{})
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if f := files(t, s.dir); len(f) != 0 {
				t.Fatalf("left files behind: %v", f)
			}
		})
	}
	if n := len(bombJPEG(30000, 30000)); n < 600 || n > 700 {
		t.Fatalf("bomb is %d bytes", n)
	}
}

// cutReader fails midway, like a client that disconnects.
type cutReader struct {
	data []byte
	pos  int
}

func (r *cutReader) Read(p []byte) (int, error) {
	if r.pos >= len(r.data)/2 {
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, r.data[r.pos:len(r.data)/2])
	r.pos += n
	return n, nil
}

// fullDisk writes at most budget bytes in total, then fails with ENOSPC.
type fullDisk struct {
	mu     sync.Mutex
	budget int
}

type limitedFile struct {
	*os.File
	d *fullDisk
}

func (f limitedFile) Write(p []byte) (int, error) {
	f.d.mu.Lock()
	defer f.d.mu.Unlock()
	if len(p) > f.d.budget {
		n, _ := f.File.Write(p[:f.d.budget])
		f.d.budget = 0
		return n, syscall.ENOSPC
	}
	f.d.budget -= len(p)
	return f.File.Write(p)
}

func (d *fullDisk) create(name string) (WriteFile, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	return limitedFile{f, d}, nil
}

func TestIntakeFailuresLeaveNothing(t *testing.T) {
	data := encJPEG(t, painting(2500, 1500))
	t.Run("upload cut off", func(t *testing.T) {
		s := newService(t, Options{})
		_, err := s.Intake(context.Background(), "m1", &cutReader{data: data}, Meta{})
		if err == nil {
			t.Fatal("cut-off upload accepted")
		}
		if f := files(t, s.dir); len(f) != 0 {
			t.Fatalf("left files behind: %v", f)
		}
	})
	// Budgets that fail while writing the original, the first derivative
	// and the last files.
	for _, budget := range []int{100, len(data) + 1000, len(data) + 60_000} {
		t.Run("disk full at "+strconv.Itoa(budget), func(t *testing.T) {
			d := &fullDisk{budget: budget}
			s := newService(t, Options{Create: d.create})
			_, err := s.Intake(context.Background(), "m1", bytes.NewReader(data), Meta{})
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("err = %v, want ENOSPC", err)
			}
			if f := files(t, s.dir); len(f) != 0 {
				t.Fatalf("left files behind: %v", f)
			}
			// The disk has room again: the same upload now succeeds.
			d.budget = 1 << 30
			if _, err := s.Intake(context.Background(), "m1", bytes.NewReader(data), Meta{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestIntakeConcurrentDecodesBounded(t *testing.T) {
	s := newService(t, Options{MaxDecodes: 1})
	// Hold the only slot: an intake must wait, and give up with its context.
	s.sem <- struct{}{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Intake(ctx, "m1", bytes.NewReader(encJPEG(t, painting(50, 50))), Meta{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	<-s.sem
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Intake(context.Background(), "m1", bytes.NewReader(encJPEG(t, painting(300+i, 200))), Meta{})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestValidID(t *testing.T) {
	for _, id := range []string{"", "../../etc/passwd", strings.Repeat("a", 63), strings.Repeat("A", 64), strings.Repeat("a", 63) + "/"} {
		if ValidID(id) {
			t.Errorf("ValidID(%q) = true", id)
		}
	}
	if !ValidID(strings.Repeat("0a", 32)) {
		t.Error("valid sha refused")
	}
}

// A new Service removes the temporary files a killed process left, once
// they are old enough to be dead, and leaves a fresh one (another process
// may be writing it) and every real file alone.
func TestSweepStaleTemps(t *testing.T) {
	dir := t.TempDir()
	if _, err := New(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	mk := func(p string, dir bool, aged bool) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if dir {
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
		} else if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if aged {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	deadUpload := filepath.Join(dir, "originals", ".upload-dead")
	liveUpload := filepath.Join(dir, "originals", ".upload-live")
	deadDeriv := filepath.Join(dir, "derivatives", "ab", ".tmp-dead")
	real := filepath.Join(dir, "originals", "ab", "cdef")
	mk(deadUpload, false, true)
	mk(liveUpload, false, false)
	mk(deadDeriv, true, true)
	mk(real, false, true)
	if _, err := New(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]bool{deadUpload: false, liveUpload: true, deadDeriv: false, real: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", p, err == nil, want)
		}
	}
}
