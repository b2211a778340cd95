package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/disintegration/imaging"
)

// ErrBadParam is a malformed or unsatisfiable IIIF request (HTTP 400).
var ErrBadParam = errors.New("IIIF 参数无效 / invalid IIIF parameter")

// MaxOutputArea bounds the pixels of one rendered IIIF image; info.json
// announces it as maxArea.
const MaxOutputArea = 25_000_000

// ImageRequest is a parsed IIIF Image API 3.0 request.
type ImageRequest struct {
	Region  Region
	Size    SizeSpec
	Mirror  bool
	Rotate  int // 0, 90, 180 or 270
	Quality string
	Format  string
}

// Region is the parsed region parameter.
type Region struct {
	Kind       string // full, square, px, pct
	X, Y, W, H float64
}

// SizeSpec is the parsed size parameter.
type SizeSpec struct {
	Kind    string // max, w, h, pct, wh, confined
	Upscale bool
	W, H    int
	Pct     float64
}

func bad(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrBadParam, fmt.Sprintf(format, a...))
}

// ParseImageRequest parses the four path parameters of an image request;
// qf is "quality.format".
func ParseImageRequest(region, size, rotation, qf string) (ImageRequest, error) {
	var r ImageRequest
	var err error
	if r.Region, err = parseRegion(region); err != nil {
		return r, err
	}
	if r.Size, err = parseSize(size); err != nil {
		return r, err
	}
	rot := rotation
	if strings.HasPrefix(rot, "!") {
		r.Mirror = true
		rot = rot[1:]
	}
	switch rot {
	case "0":
	case "90", "180", "270":
		r.Rotate, _ = strconv.Atoi(rot)
	default:
		return r, bad("rotation %q（仅支持 0、90、180、270，可加 ! 镜像）", rotation)
	}
	q, f, ok := strings.Cut(qf, ".")
	if !ok {
		return r, bad("quality.format %q", qf)
	}
	switch q {
	case "default", "color", "gray", "bitonal":
		r.Quality = q
	default:
		return r, bad("quality %q（支持 default、color、gray、bitonal）", q)
	}
	switch f {
	case "jpg", "png":
		r.Format = f
	default:
		return r, bad("format %q（支持 jpg、png）", f)
	}
	return r, nil
}

func parseRegion(s string) (Region, error) {
	switch s {
	case "full", "square":
		return Region{Kind: s}, nil
	}
	kind, rest := "px", s
	if strings.HasPrefix(s, "pct:") {
		kind, rest = "pct", s[4:]
	}
	parts := strings.Split(rest, ",")
	if len(parts) != 4 {
		return Region{}, bad("region %q", s)
	}
	var v [4]float64
	for i, p := range parts {
		var err error
		if kind == "px" {
			var n int
			n, err = strconv.Atoi(p)
			v[i] = float64(n)
		} else {
			v[i], err = parseNumber(p)
		}
		if err != nil || v[i] < 0 || (strings.HasPrefix(p, "+")) {
			return Region{}, bad("region %q", s)
		}
	}
	if v[2] <= 0 || v[3] <= 0 {
		return Region{}, bad("region %q 宽高须为正 / width and height must be positive", s)
	}
	return Region{Kind: kind, X: v[0], Y: v[1], W: v[2], H: v[3]}, nil
}

// parseNumber accepts the IIIF decimal form only: digits with an
// optional fraction, no sign, exponent, NaN or Inf.
func parseNumber(p string) (float64, error) {
	if p == "" || strings.Trim(p, "0123456789.") != "" || strings.Count(p, ".") > 1 || p == "." {
		return 0, errors.New("not a number")
	}
	return strconv.ParseFloat(p, 64)
}

func parseSize(s string) (SizeSpec, error) {
	var z SizeSpec
	orig := s
	if strings.HasPrefix(s, "^") {
		z.Upscale = true
		s = s[1:]
	}
	switch {
	case s == "max":
		z.Kind = "max"
		return z, nil
	case strings.HasPrefix(s, "pct:"):
		v, err := parseNumber(s[4:])
		if err != nil || v <= 0 || (!z.Upscale && v > 100) {
			return z, bad("size %q", orig)
		}
		z.Kind, z.Pct = "pct", v
		return z, nil
	}
	if strings.HasPrefix(s, "!") {
		z.Kind = "confined"
		s = s[1:]
	}
	ws, hs, ok := strings.Cut(s, ",")
	if !ok {
		return z, bad("size %q", orig)
	}
	num := func(p string) (int, error) {
		if p == "" || strings.Trim(p, "0123456789") != "" || len(p) > 9 {
			return 0, errors.New("bad")
		}
		n, err := strconv.Atoi(p)
		if err == nil && n <= 0 {
			err = errors.New("zero")
		}
		return n, err
	}
	var err1, err2 error
	switch {
	case z.Kind == "confined":
		z.W, err1 = num(ws)
		z.H, err2 = num(hs)
	case ws != "" && hs == "":
		z.Kind = "w"
		z.W, err1 = num(ws)
	case ws == "" && hs != "":
		z.Kind = "h"
		z.H, err1 = num(hs)
	default:
		z.Kind = "wh"
		z.W, err1 = num(ws)
		z.H, err2 = num(hs)
	}
	if err1 != nil || err2 != nil {
		return z, bad("size %q", orig)
	}
	return z, nil
}

// Resolve turns the request into a pixel crop of an imgW×imgH image and
// an output size before rotation.
func (r ImageRequest) Resolve(imgW, imgH int) (crop image.Rectangle, outW, outH int, err error) {
	switch r.Region.Kind {
	case "full":
		crop = image.Rect(0, 0, imgW, imgH)
	case "square":
		m := min(imgW, imgH)
		x, y := (imgW-m)/2, (imgH-m)/2
		crop = image.Rect(x, y, x+m, y+m)
	case "px":
		crop = image.Rect(int(r.Region.X), int(r.Region.Y), int(r.Region.X+r.Region.W), int(r.Region.Y+r.Region.H))
	case "pct":
		x0 := int(math.Round(r.Region.X * float64(imgW) / 100))
		y0 := int(math.Round(r.Region.Y * float64(imgH) / 100))
		x1 := int(math.Round((r.Region.X + r.Region.W) * float64(imgW) / 100))
		y1 := int(math.Round((r.Region.Y + r.Region.H) * float64(imgH) / 100))
		crop = image.Rect(x0, y0, x1, y1)
	}
	crop = crop.Intersect(image.Rect(0, 0, imgW, imgH))
	if crop.Empty() {
		return crop, 0, 0, bad("region outside the image / 区域超出图像")
	}
	cw, ch := crop.Dx(), crop.Dy()
	fw, fh := float64(cw), float64(ch)
	maxW, maxH := cw, ch
	switch r.Size.Kind {
	case "max":
		outW, outH = maxW, maxH
		if r.Size.Upscale || cw*ch > MaxOutputArea {
			s := math.Sqrt(float64(MaxOutputArea) / (fw * fh))
			if !r.Size.Upscale {
				s = min(s, 1)
			}
			outW, outH = int(fw*s), int(fh*s)
		}
	case "w":
		outW = r.Size.W
		outH = int(math.Round(fh * float64(outW) / fw))
	case "h":
		outH = r.Size.H
		outW = int(math.Round(fw * float64(outH) / fh))
	case "pct":
		outW = int(math.Round(fw * r.Size.Pct / 100))
		outH = int(math.Round(fh * r.Size.Pct / 100))
	case "wh":
		outW, outH = r.Size.W, r.Size.H
	case "confined":
		s := min(float64(r.Size.W)/fw, float64(r.Size.H)/fh)
		outW, outH = int(math.Round(fw*s)), int(math.Round(fh*s))
	}
	if outW < 1 || outH < 1 {
		return crop, 0, 0, bad("size gives an empty image / 尺寸过小")
	}
	if !r.Size.Upscale && (outW > cw || outH > ch) {
		return crop, 0, 0, bad("size larger than the region needs ^ / 放大须加 ^")
	}
	if int64(outW)*int64(outH) > MaxOutputArea {
		return crop, 0, 0, bad("size over maxArea %d", MaxOutputArea)
	}
	return crop, outW, outH, nil
}

// Render returns the path of the rendered result, from the disk cache
// when it was made before, and its content type.
func (s *Service) Render(ctx context.Context, sha, region, size, rotation, qf string) (string, string, error) {
	info, err := s.Info(sha)
	if err != nil {
		return "", "", err
	}
	req, err := ParseImageRequest(region, size, rotation, qf)
	if err != nil {
		return "", "", err
	}
	crop, outW, outH, err := req.Resolve(info.Width, info.Height)
	if err != nil {
		return "", "", err
	}
	ctype := "image/jpeg"
	if req.Format == "png" {
		ctype = "image/png"
	}
	// The key is the canonical request, so equivalent spellings
	// ("full/max" and "0,0,W,H/W,") share one cached file.
	key := fmt.Sprintf("%v|%d,%d|%v|%d|%s|%s", crop, outW, outH, req.Mirror, req.Rotate, req.Quality, req.Format)
	sum := sha256.Sum256([]byte(key))
	path := filepath.Join(s.cacheDir(sha), hex.EncodeToString(sum[:16])+"."+req.Format)
	if _, err := os.Stat(path); err == nil {
		return path, ctype, nil
	}

	src, err := s.source(ctx, sha, info, crop, outW)
	if err != nil {
		return "", "", err
	}
	img := src.img
	// Crop in the source's coordinates (a derivative may stand in for
	// the original when it has enough pixels).
	sc := float64(img.Bounds().Dx()) / float64(info.Width)
	c := image.Rect(int(math.Floor(float64(crop.Min.X)*sc)), int(math.Floor(float64(crop.Min.Y)*sc)),
		int(math.Ceil(float64(crop.Max.X)*sc)), int(math.Ceil(float64(crop.Max.Y)*sc))).Intersect(img.Bounds())
	var out image.Image = imaging.Crop(img, c)
	if out.Bounds().Dx() != outW || out.Bounds().Dy() != outH {
		out = imaging.Resize(out, outW, outH, imaging.Lanczos)
	}
	if req.Mirror {
		out = imaging.FlipH(out)
	}
	switch req.Rotate {
	case 90:
		out = imaging.Rotate270(out) // imaging rotates counter-clockwise; IIIF clockwise
	case 180:
		out = imaging.Rotate180(out)
	case 270:
		out = imaging.Rotate90(out)
	}
	switch req.Quality {
	case "gray":
		out = imaging.Grayscale(out)
	case "bitonal":
		out = bitonal(out)
	}
	var data []byte
	if req.Format == "png" {
		var buf bytes.Buffer
		if err := png.Encode(&buf, out); err != nil {
			return "", "", err
		}
		data = buf.Bytes()
	} else if data, err = encodeJPEG(out, 85); err != nil {
		return "", "", err
	}
	if err := s.writeAtomic(path, data); err != nil {
		return "", "", fmt.Errorf("iiif cache: %w", err)
	}
	return path, ctype, nil
}

type sourceImage struct{ img image.Image }

// source picks the smallest stored image that still has enough pixels
// for the request, so most tiles and thumbnails never decode the original.
func (s *Service) source(ctx context.Context, sha string, info Info, crop image.Rectangle, outW int) (sourceImage, error) {
	need := float64(outW) / float64(crop.Dx()) // source pixels per original pixel
	for _, d := range info.Derivatives {
		if d.Width == info.Width {
			break
		}
		if float64(d.Width)/float64(info.Width) >= need {
			img, err := imaging.Open(filepath.Join(s.derivDir(sha), "w"+strconv.Itoa(d.Width)+".jpg"))
			if err != nil {
				return sourceImage{}, fmt.Errorf("iiif: %w", err)
			}
			return sourceImage{img}, nil
		}
	}
	if err := s.acquire(ctx); err != nil {
		return sourceImage{}, err
	}
	defer s.release()
	f, err := os.Open(s.originalPath(sha))
	if err != nil {
		return sourceImage{}, fmt.Errorf("iiif: %w", err)
	}
	defer f.Close()
	img, _, err := decodeImage(f)
	if err != nil {
		return sourceImage{}, fmt.Errorf("iiif: %w", err)
	}
	return sourceImage{img}, nil
}

// bitonal thresholds the luminance at the midpoint: black or white only.
func bitonal(img image.Image) image.Image {
	g := imaging.Grayscale(img)
	out := image.NewGray(g.Bounds())
	for i := 0; i < len(out.Pix); i++ {
		if g.Pix[i*4] >= 128 {
			out.Pix[i] = 255
		}
	}
	return out
}
