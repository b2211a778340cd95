package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // registered for DecodeConfig and Decode
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/disintegration/imaging"
	_ "golang.org/x/image/tiff" // registered for DecodeConfig and Decode

	"github.com/guigen/guigen/store"
)

// Meta is what the uploader says about a portrait; it is copied onto the
// returned store.Portrait. ID, when empty, is derived from the content.
type Meta struct {
	ID              string
	Artist          string
	Painted         store.Date
	BasedOn         string
	Revision        int
	RevisionHistory []string
	Reconstruction  bool
	AccessionNo     string
	Archive         string
	Rights          string
	CaptionZH       string
	CaptionEN       string
	FamilyConsent   bool
	Published       bool
}

// Info is what intake learned about an image; it is kept next to the
// derivatives so a duplicate upload and the IIIF handler need no decode.
type Info struct {
	SHA256      string `json:"sha256"`
	Mime        string `json:"mime"`
	Width       int    `json:"width"`  // after EXIF orientation
	Height      int    `json:"height"` // after EXIF orientation
	Bytes       int64  `json:"bytes"`
	Placeholder string `json:"placeholder"`
	Derivatives []Size `json:"derivatives"`
	// Colour records a colour conversion made at decode ("Adobe RGB
	// (1998) → sRGB"), or why an embedded profile was left alone.
	Colour string `json:"colour,omitempty"`
}

// Size is one derivative's pixel size.
type Size struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

var allowed = map[string]string{"jpeg": "image/jpeg", "png": "image/png", "tiff": "image/tiff"}

// Intake stores the image read from r for the martyr and returns the
// portrait record to save in the store. The same bytes uploaded twice
// yield the same image data without rewriting anything.
func (s *Service) Intake(ctx context.Context, martyrID string, r io.Reader, meta Meta) (store.Portrait, error) {
	info, err := s.intake(ctx, r)
	if err != nil {
		return store.Portrait{}, fmt.Errorf("media intake: %w", err)
	}
	id := meta.ID
	if id == "" {
		id = "portrait-" + info.SHA256[:16]
	}
	return store.Portrait{
		ID: id, MartyrID: martyrID, SHA256: info.SHA256, Mime: info.Mime,
		Width: info.Width, Height: info.Height, Bytes: info.Bytes, Placeholder: info.Placeholder,
		Artist: meta.Artist, Painted: meta.Painted, BasedOn: meta.BasedOn, Revision: meta.Revision,
		RevisionHistory: meta.RevisionHistory, Reconstruction: meta.Reconstruction,
		AccessionNo: meta.AccessionNo, Archive: meta.Archive, Rights: meta.Rights,
		CaptionZH: meta.CaptionZH, CaptionEN: meta.CaptionEN, FamilyConsent: meta.FamilyConsent,
		Published: meta.Published, CreatedAt: time.Now().UTC(),
	}, nil
}

func (s *Service) intake(ctx context.Context, r io.Reader) (Info, error) {
	origDir := filepath.Join(s.dir, "originals")
	tmp := tempName(origDir, ".upload-")
	committed := false
	defer func() {
		if !committed {
			os.Remove(tmp)
		}
	}()

	f, err := s.create(tmp)
	if err != nil {
		return Info{}, fmt.Errorf("存储失败 / storage failed: %w", err)
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, s.maxBytes+1))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// A failed read is a cut-off upload; a failed write is the disk.
		return Info{}, fmt.Errorf("上传中断或存储失败 / upload interrupted or storage failed: %w", err)
	}
	if n > s.maxBytes {
		return Info{}, fmt.Errorf("%w: 超过 %d 字节 / over %d bytes", ErrTooLarge, s.maxBytes, s.maxBytes)
	}
	if err := ctx.Err(); err != nil {
		return Info{}, err
	}
	sha := hex.EncodeToString(h.Sum(nil))

	if info, err := s.Info(sha); err == nil {
		return info, nil // duplicate: the first intake finished, keep it
	}

	src, err := os.Open(tmp)
	if err != nil {
		return Info{}, err
	}
	defer src.Close()
	_, mime, err := s.CheckHeader(src)
	if err != nil {
		return Info{}, err
	}

	if err := s.acquire(ctx); err != nil {
		return Info{}, err
	}
	info, derivs, err := s.render(src, sha, mime, n)
	s.release()
	if err != nil {
		return Info{}, err
	}

	// Commit: the original first, then the derivatives directory whose
	// presence marks the intake complete.
	final := s.originalPath(sha)
	_, statErr := os.Stat(final)
	newOriginal := errors.Is(statErr, fs.ErrNotExist)
	if newOriginal {
		if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
			return Info{}, fmt.Errorf("存储失败 / storage failed: %w", err)
		}
		if err := os.Rename(tmp, final); err != nil {
			return Info{}, fmt.Errorf("存储失败 / storage failed: %w", err)
		}
		committed = true
		_ = syncDir(filepath.Dir(final))
	}
	if err := s.commitDerivatives(sha, info, derivs); err != nil {
		if newOriginal {
			os.Remove(final)
		}
		return Info{}, fmt.Errorf("存储失败 / storage failed: %w", err)
	}
	s.log.Info("media: portrait stored", "sha256", sha, "width", info.Width, "height", info.Height)
	return info, nil
}

func (s *Service) checkSize(w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: 尺寸无效 %d×%d / invalid size", ErrBadImage, w, h)
	}
	if w > s.maxSide || h > s.maxSide || int64(w)*int64(h) > int64(s.maxPixels) {
		return fmt.Errorf("%w: %d×%d 像素超过上限（%d 像素，单边 %d）/ %d×%d pixels over the limit (%d pixels, side %d)",
			ErrTooLarge, w, h, s.maxPixels, s.maxSide, w, h, s.maxPixels, s.maxSide)
	}
	return nil
}

type derivative struct {
	name string
	data []byte
}

// render decodes the image (EXIF orientation applied) and encodes every
// derivative. Re-encoding from pixels is what strips EXIF, GPS, XMP and
// ICC data: none of it survives into a published file.
func (s *Service) render(src io.ReadSeeker, sha, mime string, n int64) (Info, []derivative, error) {
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return Info{}, nil, err
	}
	img, colour, err := decodeImage(src)
	if err != nil {
		return Info{}, nil, fmt.Errorf("%w: %v", ErrBadImage, err)
	}
	b := img.Bounds()
	info := Info{SHA256: sha, Mime: mime, Width: b.Dx(), Height: b.Dy(), Bytes: n, Colour: colour}
	// Largest first, each width resized from the one before it: only the
	// first pass reads the whole scan, which on a 48 MP original is most
	// of the work, and the steps (2048→1280→640→…) are small enough that
	// Lanczos loses nothing visible.
	widths := DerivativeWidths(info.Width)
	out := make([]derivative, len(widths))
	info.Derivatives = make([]Size, len(widths))
	prev := img
	for i := len(widths) - 1; i >= 0; i-- {
		w := widths[i]
		d := prev
		if w != prev.Bounds().Dx() {
			d = imaging.Resize(prev, w, 0, imaging.Lanczos)
		}
		data, err := encodeJPEG(d, 85)
		if err != nil {
			return Info{}, nil, err
		}
		out[i] = derivative{fmt.Sprintf("w%d.jpg", w), data}
		info.Derivatives[i] = Size{d.Bounds().Dx(), d.Bounds().Dy()}
		prev = d
	}
	// The placeholder is a tiny JPEG inlined as a data URI: any browser
	// shows it at once, with no decoder to ship.
	tiny := imaging.Resize(prev, 16, 0, imaging.Box)
	data, err := encodeJPEG(tiny, 40)
	if err != nil {
		return Info{}, nil, err
	}
	info.Placeholder = "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(data)
	return info, out, nil
}

// decodeImage decodes an image file with its EXIF orientation applied and
// its colours converted to sRGB where an embedded profile says they are
// in another space; colour says what was done ("" for nothing).
func decodeImage(r io.ReadSeeker) (img image.Image, colour string, err error) {
	icc := readICC(r)
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, "", err
	}
	img, err = imaging.Decode(r, imaging.AutoOrientation(true))
	if err != nil {
		return nil, "", err
	}
	img, colour = toSRGBFrom(icc, img)
	return img, colour, nil
}

// derivativeWidths lists the widths to make for an image w pixels wide:
// the standard widths not above w, or w itself for a tiny image.
func DerivativeWidths(w int) []int {
	var ws []int
	for _, x := range Widths {
		if x <= w {
			ws = append(ws, x)
		}
	}
	if len(ws) == 0 {
		ws = []int{w}
	}
	return ws
}

func encodeJPEG(img image.Image, q int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// commitDerivatives writes every file into a temp directory beside the
// final one and renames it into place.
func (s *Service) commitDerivatives(sha string, info Info, ds []derivative) error {
	final := s.derivDir(sha)
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp := tempName(parent, ".tmp-")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	for _, d := range ds {
		if err := s.writeFile(filepath.Join(tmp, d.name), d.data); err != nil {
			return err
		}
	}
	js, err := json.Marshal(info)
	if err != nil {
		return err
	}
	if err := s.writeFile(filepath.Join(tmp, "info.json"), js); err != nil {
		return err
	}
	_ = syncDir(tmp)
	if err := os.Rename(tmp, final); err != nil {
		// A concurrent intake of the same bytes won the race; its
		// result is identical.
		if _, serr := os.Stat(filepath.Join(final, "info.json")); serr == nil {
			return nil
		}
		return err
	}
	ok = true
	return syncDir(parent)
}

// Info returns what intake recorded for the image with that sha256.
func (s *Service) Info(sha string) (Info, error) {
	if !ValidID(sha) {
		return Info{}, ErrNotFound
	}
	data, err := os.ReadFile(filepath.Join(s.derivDir(sha), "info.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return Info{}, ErrNotFound
	}
	if err != nil {
		return Info{}, fmt.Errorf("media info: %w", err)
	}
	var info Info
	if err := json.Unmarshal(data, &info); err != nil {
		return Info{}, fmt.Errorf("media info: %w", err)
	}
	return info, nil
}

// CheckHeader reads only an image's header: the format must be one taken
// in (sniffed from the bytes) and the declared size within the limits.
// Nothing is decoded, so a bomb costs a few bytes of reading.
func (s *Service) CheckHeader(r io.Reader) (image.Config, string, error) {
	cfg, format, err := image.DecodeConfig(r)
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return cfg, "", ErrUnsupported
		}
		return cfg, "", fmt.Errorf("%w: %v", ErrBadImage, err)
	}
	mime, ok := allowed[format]
	if !ok {
		return cfg, "", fmt.Errorf("%w: %s", ErrUnsupported, format)
	}
	if err := s.checkSize(cfg.Width, cfg.Height); err != nil {
		return cfg, "", err
	}
	return cfg, mime, nil
}
