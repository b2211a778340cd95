package media

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"strings"

	"github.com/disintegration/imaging"
)

// Colour management for scans that carry an ICC profile other than sRGB
// (archival scanners often embed Adobe RGB). Browsers and IIIF viewers
// assume sRGB for the untagged derivatives we publish, so the pixels are
// converted once, at decode. Matrix/TRC RGB profiles — Adobe RGB, Display
// P3, ProPhoto, sRGB itself and most camera and scanner profiles — are
// converted exactly; others (LUT-based, CMYK, Lab) are left as decoded
// and reported, since a wrong guess would be worse than none.

// iccProfile is the part of an RGB matrix/TRC profile the conversion needs.
type iccProfile struct {
	desc   string
	matrix [3][3]float64 // linear RGB → XYZ (D50), columns rXYZ gXYZ bXYZ
	trc    [3]func(float64) float64
}

var errICCUnsupported = errors.New("不支持的色彩配置 / unsupported ICC profile")

// parseICC reads an RGB matrix/TRC profile.
func parseICC(b []byte) (*iccProfile, error) {
	if len(b) < 132 || string(b[36:40]) != "acsp" {
		return nil, fmt.Errorf("%w: not an ICC profile", errICCUnsupported)
	}
	if cs := string(b[16:20]); cs != "RGB " {
		return nil, fmt.Errorf("%w: colour space %q", errICCUnsupported, strings.TrimSpace(cs))
	}
	if pcs := string(b[20:24]); pcs != "XYZ " {
		return nil, fmt.Errorf("%w: connection space %q", errICCUnsupported, strings.TrimSpace(pcs))
	}
	n := int(binary.BigEndian.Uint32(b[128:]))
	if n > 1000 || 132+12*n > len(b) {
		return nil, fmt.Errorf("%w: bad tag table", errICCUnsupported)
	}
	tags := map[string][]byte{}
	for i := range n {
		e := b[132+12*i:]
		sig := string(e[0:4])
		off, size := binary.BigEndian.Uint32(e[4:]), binary.BigEndian.Uint32(e[8:])
		if uint64(off)+uint64(size) > uint64(len(b)) || size < 8 {
			return nil, fmt.Errorf("%w: tag %q out of bounds", errICCUnsupported, sig)
		}
		tags[sig] = b[off : off+size]
	}
	p := &iccProfile{desc: iccDesc(tags["desc"])}
	for i, sig := range []string{"rXYZ", "gXYZ", "bXYZ"} {
		t := tags[sig]
		if len(t) < 20 || string(t[:4]) != "XYZ " {
			return nil, fmt.Errorf("%w: %s (%s) has no %s: not a matrix/TRC profile", errICCUnsupported, p.desc, "RGB", sig)
		}
		for j := range 3 {
			p.matrix[j][i] = s15f16(t[8+4*j:])
		}
	}
	for i, sig := range []string{"rTRC", "gTRC", "bTRC"} {
		f, err := iccCurve(tags[sig])
		if err != nil {
			return nil, fmt.Errorf("%w: %s %s: %v", errICCUnsupported, p.desc, sig, err)
		}
		p.trc[i] = f
	}
	return p, nil
}

func s15f16(b []byte) float64 { return float64(int32(binary.BigEndian.Uint32(b))) / 65536 }

// iccDesc reads a profile description ('desc' in v2, 'mluc' in v4).
func iccDesc(t []byte) string {
	switch {
	case len(t) >= 12 && string(t[:4]) == "desc":
		n := int(binary.BigEndian.Uint32(t[8:]))
		if n > 0 && 12+n <= len(t) {
			return strings.TrimRight(string(t[12:12+n]), "\x00")
		}
	case len(t) >= 28 && string(t[:4]) == "mluc":
		size, off := int(binary.BigEndian.Uint32(t[20:])), int(binary.BigEndian.Uint32(t[24:]))
		if off+size <= len(t) && size%2 == 0 {
			u := make([]rune, 0, size/2)
			for i := off; i < off+size; i += 2 {
				u = append(u, rune(binary.BigEndian.Uint16(t[i:])))
			}
			return string(u)
		}
	}
	return "unnamed profile"
}

// iccCurve reads a tone curve ('curv' or 'para') as a function from
// encoded [0,1] to linear [0,1].
func iccCurve(t []byte) (func(float64) float64, error) {
	if len(t) < 12 {
		return nil, errors.New("missing")
	}
	switch string(t[:4]) {
	case "curv":
		n := int(binary.BigEndian.Uint32(t[8:]))
		switch {
		case n == 0:
			return func(x float64) float64 { return x }, nil
		case n == 1 && len(t) >= 14:
			g := float64(binary.BigEndian.Uint16(t[12:])) / 256
			return func(x float64) float64 { return math.Pow(x, g) }, nil
		case n > 1 && len(t) >= 12+2*n:
			tab := make([]float64, n)
			for i := range tab {
				tab[i] = float64(binary.BigEndian.Uint16(t[12+2*i:])) / 65535
			}
			return func(x float64) float64 {
				pos := x * float64(n-1)
				i := int(pos)
				if i >= n-1 {
					return tab[n-1]
				}
				return tab[i] + (tab[i+1]-tab[i])*(pos-float64(i))
			}, nil
		}
	case "para":
		typ := binary.BigEndian.Uint16(t[8:])
		np := [...]int{1, 3, 4, 5, 7}
		if int(typ) >= len(np) || len(t) < 12+4*np[typ] {
			return nil, fmt.Errorf("parametric curve type %d", typ)
		}
		var v [7]float64
		for i := range np[typ] {
			v[i] = s15f16(t[12+4*i:])
		}
		g, a, b, c, d, e, f := v[0], v[1], v[2], v[3], v[4], v[5], v[6]
		pow := func(x float64) float64 {
			if x <= 0 {
				return 0
			}
			return math.Pow(x, g)
		}
		switch typ {
		case 0:
			return pow, nil
		case 1:
			return func(x float64) float64 {
				if x >= -b/a {
					return pow(a*x + b)
				}
				return 0
			}, nil
		case 2:
			return func(x float64) float64 {
				if x >= -b/a {
					return pow(a*x+b) + c
				}
				return c
			}, nil
		case 3:
			return func(x float64) float64 {
				if x >= d {
					return pow(a*x + b)
				}
				return c * x
			}, nil
		case 4:
			return func(x float64) float64 {
				if x >= d {
					return pow(a*x+b) + e
				}
				return c*x + f
			}, nil
		}
	}
	return nil, fmt.Errorf("curve type %q", string(t[:4]))
}

// xyzD50ToSRGB maps XYZ (D50, the profile connection space) to linear
// sRGB: the inverse of sRGB's Bradford-adapted D50 matrix.
var xyzD50ToSRGB = [3][3]float64{
	{3.1338561, -1.6168667, -0.4906146},
	{-0.9787684, 1.9161415, 0.0334540},
	{0.0719453, -0.2289914, 1.4052427},
}

// srgbD50 is sRGB's linear RGB → XYZ (D50) matrix, to recognise sRGB
// profiles, which need no conversion.
var srgbD50 = [3][3]float64{
	{0.4360747, 0.3850649, 0.1430804},
	{0.2225045, 0.7168786, 0.0606169},
	{0.0139322, 0.0971045, 0.7141733},
}

func srgbEncode(l float64) float64 {
	if l <= 0.0031308 {
		return 12.92 * l
	}
	return 1.055*math.Pow(l, 1/2.4) - 0.055
}

func srgbDecode(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// isSRGB reports whether the profile is sRGB within rounding: its
// primaries and its curves.
func (p *iccProfile) isSRGB() bool {
	for i := range 3 {
		for j := range 3 {
			if math.Abs(p.matrix[i][j]-srgbD50[i][j]) > 0.003 {
				return false
			}
		}
	}
	for _, f := range p.trc {
		for x := 0.05; x < 1; x += 0.1 {
			if math.Abs(f(x)-srgbDecode(x)) > 0.01 {
				return false
			}
		}
	}
	return true
}

// toSRGB converts img, whose values are encoded in the profile, to sRGB.
// Three 256-entry tables and one 4096-entry table keep it to a matrix
// product per pixel.
func (p *iccProfile) toSRGB(img image.Image) *image.NRGBA {
	var lin [3][256]float64
	for c := range 3 {
		for v := range 256 {
			lin[c][v] = p.trc[c](float64(v) / 255)
		}
	}
	var m [3][3]float64 // linear profile RGB → linear sRGB
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				m[i][j] += xyzD50ToSRGB[i][k] * p.matrix[k][j]
			}
		}
	}
	const steps = 4096
	var enc [steps + 1]uint8
	for i := range enc {
		enc[i] = uint8(math.Round(255 * srgbEncode(float64(i)/steps)))
	}
	out, ok := img.(*image.NRGBA)
	if !ok {
		out = imaging.Clone(img) // fast paths for every decoder's type
	}
	for i := 0; i+3 < len(out.Pix); i += 4 {
		px := out.Pix[i : i+3 : i+3]
		r, g, bl := lin[0][px[0]], lin[1][px[1]], lin[2][px[2]]
		for c := range 3 {
			v := m[c][0]*r + m[c][1]*g + m[c][2]*bl
			v = min(max(v, 0), 1) // out of sRGB's gamut: clipped
			px[c] = enc[int(v*steps+0.5)]
		}
	}
	return out
}

// iccPrefix is how much of a file is read to find its profile: JPEG and
// PNG keep it in the headers, before the image data.
const iccPrefix = 16 << 20

// readICC returns the ICC profile embedded in a JPEG, PNG or TIFF file,
// or nil when there is none, and leaves r at its start.
func readICC(r io.ReadSeeker) []byte {
	defer r.Seek(0, io.SeekStart) //nolint:errcheck // the caller seeks again before decoding
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil
	}
	head, err := io.ReadAll(io.LimitReader(r, iccPrefix))
	if err != nil || len(head) < 8 {
		return nil
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8}):
		return jpegICC(head)
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return pngICC(head)
	case bytes.HasPrefix(head, []byte("II*\x00")), bytes.HasPrefix(head, []byte("MM\x00*")):
		return tiffICC(head, r)
	}
	return nil
}

// jpegICC joins the APP2 "ICC_PROFILE" chunks, in their sequence order.
func jpegICC(d []byte) []byte {
	chunks := map[int][]byte{}
	total := 0
	for i := 2; i+4 <= len(d); {
		if d[i] != 0xFF {
			return nil
		}
		marker := d[i+1]
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 {
			i += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // image data: no more headers
			break
		}
		n := int(binary.BigEndian.Uint16(d[i+2:]))
		if n < 2 || i+2+n > len(d) {
			return nil
		}
		seg := d[i+4 : i+2+n]
		if marker == 0xE2 && len(seg) > 14 && string(seg[:12]) == "ICC_PROFILE\x00" {
			chunks[int(seg[12])] = seg[14:]
			total = int(seg[13])
		}
		i += 2 + n
	}
	if total == 0 || len(chunks) != total {
		return nil
	}
	var out []byte
	for k := 1; k <= total; k++ {
		c, ok := chunks[k]
		if !ok {
			return nil
		}
		out = append(out, c...)
	}
	return out
}

// pngICC inflates the iCCP chunk.
func pngICC(d []byte) []byte {
	for i := 8; i+12 <= len(d); {
		n := int(binary.BigEndian.Uint32(d[i:]))
		typ := string(d[i+4 : i+8])
		if n < 0 || i+12+n > len(d) {
			return nil
		}
		if typ == "IDAT" {
			return nil // iCCP comes before the image data
		}
		if typ == "iCCP" {
			body := d[i+8 : i+8+n]
			z := bytes.IndexByte(body, 0)
			if z < 0 || z+2 > len(body) || body[z+1] != 0 {
				return nil
			}
			r, err := zlib.NewReader(bytes.NewReader(body[z+2:]))
			if err != nil {
				return nil
			}
			// A profile is small; more than 4 MiB is not one.
			p, err := io.ReadAll(io.LimitReader(r, 4<<20))
			if err != nil {
				return nil
			}
			return p
		}
		i += 12 + n
	}
	return nil
}

// tiffICC reads tag 34675 (InterColorProfile) of the first IFD; the
// profile itself may lie anywhere in the file, so it is read from r.
func tiffICC(d []byte, r io.ReadSeeker) []byte {
	var bo binary.ByteOrder = binary.LittleEndian
	if d[0] == 'M' {
		bo = binary.BigEndian
	}
	ifd := int64(bo.Uint32(d[4:]))
	if ifd < 8 || ifd+2 > int64(len(d)) {
		return nil
	}
	n := int64(bo.Uint16(d[ifd:]))
	for i := range n {
		e := ifd + 2 + 12*i
		if e+12 > int64(len(d)) {
			return nil
		}
		if bo.Uint16(d[e:]) == 34675 {
			count, off := int64(bo.Uint32(d[e+4:])), int64(bo.Uint32(d[e+8:]))
			if count <= 4 || count > 4<<20 {
				return nil
			}
			if _, err := r.Seek(off, io.SeekStart); err != nil {
				return nil
			}
			p := make([]byte, count)
			if _, err := io.ReadFull(r, p); err != nil {
				return nil
			}
			return p
		}
	}
	return nil
}

// toSRGBFrom converts img when raw, its embedded profile, is not sRGB.
// It returns the image to use and what was done, for the record: "" for
// nothing to do, "Adobe RGB (1998) → sRGB", or the reason a profile was
// left alone.
func toSRGBFrom(raw []byte, img image.Image) (image.Image, string) {
	if raw == nil {
		return img, ""
	}
	p, err := parseICC(raw)
	if err != nil {
		return img, err.Error()
	}
	if p.isSRGB() {
		return img, ""
	}
	if _, ok := img.(*image.Gray); ok {
		return img, ""
	}
	return p.toSRGB(img), p.desc + " → sRGB"
}
