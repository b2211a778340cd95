package media

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
)

// Adobe RGB (1998), D50-adapted as its published profile has it.
var adobeD50 = [3][3]float64{
	{0.6097559, 0.2052401, 0.1492240},
	{0.3111242, 0.6256560, 0.0632197},
	{0.0194811, 0.0608902, 0.7448387},
}

// iccBytes builds a v2 RGB matrix/TRC display profile.
func iccBytes(desc string, m [3][3]float64, trc []byte) []byte {
	fixed := func(v float64) []byte {
		return binary.BigEndian.AppendUint32(nil, uint32(int32(math.Round(v*65536))))
	}
	type tag struct {
		sig  string
		data []byte
	}
	d := append([]byte("desc\x00\x00\x00\x00"), binary.BigEndian.AppendUint32(nil, uint32(len(desc)+1))...)
	d = append(append(d, desc...), 0)
	d = append(d, make([]byte, 12+67)...) // empty Unicode and ScriptCode parts
	tags := []tag{{"desc", d}}
	for i, sig := range []string{"rXYZ", "gXYZ", "bXYZ"} {
		x := []byte("XYZ \x00\x00\x00\x00")
		for j := range 3 {
			x = append(x, fixed(m[j][i])...)
		}
		tags = append(tags, tag{sig, x})
	}
	for _, sig := range []string{"rTRC", "gTRC", "bTRC"} {
		tags = append(tags, tag{sig, trc})
	}
	head := make([]byte, 128)
	copy(head[8:], []byte{2, 0x10, 0, 0})
	copy(head[12:], "mntr")
	copy(head[16:], "RGB ")
	copy(head[20:], "XYZ ")
	copy(head[36:], "acsp")
	table := binary.BigEndian.AppendUint32(nil, uint32(len(tags)))
	off := 128 + 4 + 12*len(tags)
	var body []byte
	for _, t := range tags {
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
		table = append(table, t.sig...)
		table = binary.BigEndian.AppendUint32(table, uint32(off+len(body)))
		table = binary.BigEndian.AppendUint32(table, uint32(len(t.data)))
		body = append(body, t.data...)
	}
	out := append(append(head, table...), body...)
	binary.BigEndian.PutUint32(out, uint32(len(out)))
	return out
}

func gammaCurve(g float64) []byte {
	return binary.BigEndian.AppendUint16([]byte("curv\x00\x00\x00\x00\x00\x00\x00\x01"), uint16(math.Round(g*256)))
}

// srgbCurve is sRGB's tone curve as a parametric curve of type 3.
func srgbCurve() []byte {
	b := []byte("para\x00\x00\x00\x00\x00\x03\x00\x00")
	for _, v := range []float64{2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045} {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(math.Round(v*65536))))
	}
	return b
}

func withJPEGProfile(jpg, profile []byte) []byte {
	seg := append([]byte("ICC_PROFILE\x00\x01\x01"), profile...)
	app2 := binary.BigEndian.AppendUint16([]byte{0xFF, 0xE2}, uint16(len(seg)+2))
	return append(append(append([]byte{}, jpg[:2]...), append(app2, seg...)...), jpg[2:]...)
}

func withPNGProfile(p, profile []byte) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, _ = zw.Write(profile)
	_ = zw.Close()
	data := append([]byte("test profile\x00\x00"), z.Bytes()...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	chunk = append(append(chunk, "iCCP"...), data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	const ihdrEnd = 8 + 25 // signature, then IHDR's length, type, 13 bytes and CRC
	return append(append(append([]byte{}, p[:ihdrEnd]...), chunk...), p[ihdrEnd:]...)
}

// adobeToSRGB is the oracle, computed independently of the code under
// test: the textbook linear Adobe RGB → linear sRGB matrix (both D65),
// Adobe's gamma 563/256 and sRGB's curve.
func adobeToSRGB(c [3]uint8) [3]float64 {
	m := [3][3]float64{{1.39836, -0.39836, 0}, {0, 1, 0}, {0, -0.04293, 1.04293}}
	var lin, out [3]float64
	for i := range 3 {
		lin[i] = math.Pow(float64(c[i])/255, 563.0/256)
	}
	for i := range 3 {
		v := m[i][0]*lin[0] + m[i][1]*lin[1] + m[i][2]*lin[2]
		v = min(max(v, 0), 1)
		if v <= 0.0031308 {
			v *= 12.92
		} else {
			v = 1.055*math.Pow(v, 1/2.4) - 0.055
		}
		out[i] = 255 * v
	}
	return out
}

func swatches() (*image.NRGBA, [][3]uint8) {
	cols := [][3]uint8{{200, 100, 50}, {30, 160, 90}, {128, 128, 128}, {250, 240, 20}, {10, 20, 200}}
	img := image.NewNRGBA(image.Rect(0, 0, 16*len(cols), 16))
	for i, c := range cols {
		for y := range 16 {
			for x := 16 * i; x < 16*(i+1); x++ {
				img.SetNRGBA(x, y, color.NRGBA{c[0], c[1], c[2], 255})
			}
		}
	}
	return img, cols
}

func TestDecodeConvertsToSRGB(t *testing.T) {
	img, cols := swatches()
	var p bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	adobe := iccBytes("Adobe RGB (1998)", adobeD50, gammaCurve(563.0/256))
	srgb := iccBytes("sRGB IEC61966-2.1", srgbD50, srgbCurve())
	for _, c := range []struct {
		name    string
		file    []byte
		tol     float64
		convert bool
	}{
		{"PNG Adobe RGB", withPNGProfile(p.Bytes(), adobe), 1.5, true},
		{"JPEG Adobe RGB", withJPEGProfile(encJPEG(t, img), adobe), 4, true},
		{"PNG sRGB", withPNGProfile(p.Bytes(), srgb), 0, false},
		{"PNG untagged", p.Bytes(), 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, colour, err := decodeImage(bytes.NewReader(c.file))
			if err != nil {
				t.Fatal(err)
			}
			if c.convert != (colour == "Adobe RGB (1998) → sRGB") || (!c.convert && colour != "") {
				t.Errorf("colour note %q", colour)
			}
			plain, _ := imaging.Decode(bytes.NewReader(c.file))
			for i, in := range cols {
				at := color.NRGBAModel.Convert(got.At(16*i+8, 8)).(color.NRGBA)
				want := [3]float64{}
				if c.convert {
					want = adobeToSRGB(in)
				} else {
					pc := color.NRGBAModel.Convert(plain.At(16*i+8, 8)).(color.NRGBA)
					want = [3]float64{float64(pc.R), float64(pc.G), float64(pc.B)}
				}
				for k, v := range []uint8{at.R, at.G, at.B} {
					if math.Abs(float64(v)-want[k]) > c.tol+0.5 {
						t.Errorf("swatch %v channel %d = %d, want %.1f", in, k, v, want[k])
					}
				}
			}
		})
	}
}

func TestICCBadProfiles(t *testing.T) {
	adobe := iccBytes("Adobe RGB (1998)", adobeD50, gammaCurve(2.2))
	cmyk := append([]byte{}, adobe...)
	copy(cmyk[16:], "CMYK")
	lut := iccBytes("LUT only", adobeD50, []byte("mft2\x00\x00\x00\x00"))
	for name, b := range map[string][]byte{
		"truncated": adobe[:100], "not ICC": bytes.Repeat([]byte{7}, 300), "CMYK": cmyk, "LUT curve": lut,
		"tag out of bounds": append(append([]byte{}, adobe[:140]...), bytes.Repeat([]byte{0xFF}, 200)...),
	} {
		if _, err := parseICC(b); err == nil || !strings.Contains(err.Error(), "不支持") {
			t.Errorf("%s: %v, want an unsupported-profile error", name, err)
		}
	}
	// An unsupported profile leaves the pixels as decoded and says why.
	img, _ := swatches()
	var p bytes.Buffer
	_ = png.Encode(&p, img)
	got, colour, err := decodeImage(bytes.NewReader(withPNGProfile(p.Bytes(), cmyk)))
	if err != nil || !strings.Contains(colour, "CMYK") || got.Bounds() != img.Bounds() {
		t.Errorf("CMYK profile on an RGB PNG: %q, %v", colour, err)
	}
}

func FuzzParseICC(f *testing.F) {
	f.Add(iccBytes("Adobe RGB (1998)", adobeD50, gammaCurve(2.2)))
	f.Add(iccBytes("sRGB", srgbD50, srgbCurve()))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := parseICC(b)
		if err != nil {
			return
		}
		for _, f := range p.trc {
			_ = f(0.5)
		}
	})
}

// An Adobe RGB scan comes out of intake as sRGB derivatives, and the
// record says what was done.
func TestIntakeConvertsAdobeRGB(t *testing.T) {
	s := newService(t, Options{})
	img, cols := swatches()
	big := imaging.Resize(img, 16*len(cols)*4, 64, imaging.NearestNeighbor)
	var p bytes.Buffer
	if err := png.Encode(&p, big); err != nil {
		t.Fatal(err)
	}
	file := withPNGProfile(p.Bytes(), iccBytes("Adobe RGB (1998)", adobeD50, gammaCurve(563.0/256)))
	port, err := s.Intake(context.Background(), "m-1", bytes.NewReader(file), Meta{ID: "por-icc"})
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(port.SHA256)
	if err != nil || info.Colour != "Adobe RGB (1998) → sRGB" {
		t.Fatalf("info %+v, %v", info, err)
	}
	d, err := imaging.Open(filepath.Join(s.derivDir(port.SHA256), "w"+strconv.Itoa(info.Derivatives[0].Width)+".jpg"))
	if err != nil {
		t.Fatal(err)
	}
	scale := float64(d.Bounds().Dx()) / float64(big.Bounds().Dx())
	for i, in := range cols {
		at := color.NRGBAModel.Convert(d.At(int(float64(64*i+32)*scale), d.Bounds().Dy()/2)).(color.NRGBA)
		want := adobeToSRGB(in)
		for k, v := range []uint8{at.R, at.G, at.B} {
			if math.Abs(float64(v)-want[k]) > 6 {
				t.Errorf("derivative swatch %v channel %d = %d, want %.1f", in, k, v, want[k])
			}
		}
	}
	// The original is kept as uploaded, profile and all.
	orig, err := os.ReadFile(s.originalPath(port.SHA256))
	if err != nil || !bytes.Equal(orig, file) {
		t.Errorf("original changed: %v", err)
	}
}
