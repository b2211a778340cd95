package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"

	"github.com/guigen/guigen/media"
	"github.com/guigen/guigen/store"
)

// ExhibitID is the demo exhibit of generated portraits.
const ExhibitID = "ex-demo-gallery"

// PortraitCount is how many portraits the demo exhibit shows.
const PortraitCount = 12

// Portraits paints PortraitCount images (generated, painting-like, about
// 3 MP each; deterministic, so a second start finds them as duplicates),
// takes them in through ms for the first demo martyrs and returns the
// portraits and their exhibit as a batch to apply after Batch().
func Portraits(ctx context.Context, ms *media.Service, width, height int) (*store.Batch, error) {
	all := martyrs()
	b := &store.Batch{}
	ex := store.Exhibit{
		ID: ExhibitID, Title: "归根：英烈画像展（演示）", TitleEN: "Homecoming: Portraits of the Fallen (demo)",
		Venue: "演示展厅 / demo hall", Start: store.Date{Year: 2025, Month: 4, Day: 4}, End: store.Date{Year: 2025, Month: 6, Day: 30},
		Description: "根据亲属描述复原绘制的烈士画像。图像为程序生成的演示画作。", Published: true,
	}
	for i := 0; i < PortraitCount && i < len(all); i++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("demo portraits: %w", err)
		}
		m := all[i]
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, paint(uint64(i+1), width, height), &jpeg.Options{Quality: 88}); err != nil {
			return nil, fmt.Errorf("demo portraits: %w", err)
		}
		name := m.Name
		if name == "" {
			name = "无名"
		}
		p, err := ms.Intake(ctx, m.ID, &buf, media.Meta{
			ID:              fmt.Sprintf("portrait-demo-%02d", i+1),
			Artist:          "演示画家 / demo artist",
			Painted:         store.Date{Year: 2024, Month: 1 + i%12},
			BasedOn:         "亲属口述（演示）",
			Revision:        1 + i%3,
			RevisionHistory: []string{"初稿 / first draft"},
			Reconstruction:  true,
			AccessionNo:     fmt.Sprintf("DEMO-2025-%03d", i+1),
			Archive:         "演示档案馆 / demo archive",
			Rights:          media.DefaultRights,
			CaptionZH:       name + "烈士像（复原）",
			CaptionEN:       "Portrait of martyr " + m.ID + " (reconstruction)",
			FamilyConsent:   true,
			Published:       true,
		})
		if err != nil {
			return nil, fmt.Errorf("demo portraits: %w", err)
		}
		b.Portraits = append(b.Portraits, p)
		ex.PortraitIDs = append(ex.PortraitIDs, p.ID)
	}
	b.Exhibits = []store.Exhibit{ex}
	return b, nil
}

// paint makes a bust-length portrait in the manner of a quick oil sketch:
// a warm ground, a head and shoulders in an army-green tunic, and short
// directional brush strokes over all of it.
func paint(seed uint64, w, h int) *image.NRGBA {
	rng := rand.New(rand.NewPCG(seed, seed*7919))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	bgA := color.NRGBA{uint8(120 + rng.IntN(80)), uint8(90 + rng.IntN(60)), uint8(60 + rng.IntN(50)), 255}
	bgB := color.NRGBA{uint8(40 + rng.IntN(40)), uint8(35 + rng.IntN(40)), uint8(30 + rng.IntN(40)), 255}
	skin := color.NRGBA{uint8(200 + rng.IntN(40)), uint8(150 + rng.IntN(40)), uint8(110 + rng.IntN(40)), 255}
	tunic := color.NRGBA{uint8(70 + rng.IntN(30)), uint8(90 + rng.IntN(30)), uint8(50 + rng.IntN(20)), 255}
	hair := color.NRGBA{uint8(20 + rng.IntN(30)), uint8(18 + rng.IntN(20)), uint8(15 + rng.IntN(20)), 255}
	cx, cy := float64(w)/2+float64(rng.IntN(w/10)-w/20), float64(h)*0.38
	rx, ry := float64(w)*0.17, float64(h)*0.17
	shoulderY := cy + ry*1.25

	base := func(x, y int) color.NRGBA {
		fx, fy := float64(x), float64(y)
		dx, dy := (fx-cx)/rx, (fy-cy)/ry
		switch {
		case dx*dx+dy*dy <= 1:
			if dy < -0.45 {
				return hair
			}
			shade := 1 - 0.25*math.Max(0, dx) // light from the left
			return scale(skin, shade)
		case fy > shoulderY && math.Abs(fx-cx) < float64(w)*0.45*math.Min(1, (fy-shoulderY)/(float64(h)*0.12)+0.35):
			return scale(tunic, 1-0.2*math.Abs(fx-cx)/float64(w))
		}
		t := (fx/float64(w) + fy/float64(h)) / 2
		return mix(bgA, bgB, t)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, base(x, y))
		}
	}
	// Brush strokes: short lines sampling the colour beneath, jittered,
	// which gives the flat fields a painted texture.
	strokes := w * h / 60
	for range strokes {
		x, y := rng.IntN(w), rng.IntN(h)
		c := base(x, y)
		j := func(v uint8) uint8 { return uint8(max(0, min(255, int(v)+rng.IntN(31)-15))) }
		c = color.NRGBA{j(c.R), j(c.G), j(c.B), 255}
		angle := 0.6 + rng.Float64()*0.5
		length := 6 + rng.IntN(18)
		for k := range length {
			px := x + int(float64(k)*math.Cos(angle))
			py := y + int(float64(k)*math.Sin(angle))
			for t := -1; t <= 1; t++ {
				if px+t >= 0 && px+t < w && py >= 0 && py < h {
					img.SetNRGBA(px+t, py, c)
				}
			}
		}
	}
	return img
}

func scale(c color.NRGBA, f float64) color.NRGBA {
	s := func(v uint8) uint8 { return uint8(math.Max(0, math.Min(255, float64(v)*f))) }
	return color.NRGBA{s(c.R), s(c.G), s(c.B), 255}
}

func mix(a, b color.NRGBA, t float64) color.NRGBA {
	m := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t) }
	return color.NRGBA{m(a.R, b.R), m(a.G, b.G), m(a.B, b.B), 255}
}

// Paint makes one generated painting-like portrait of w×h pixels, the
// same for the same seed: the demo's images, and test scans for the media
// benchmark at sizes not worth keeping in the repository.
func Paint(seed uint64, w, h int) *image.NRGBA { return paint(seed, w, h) }
