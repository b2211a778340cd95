package media

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/guigen/guigen/store"
)

// Catalog is the part of store.Store the manifests read.
type Catalog interface {
	GetPortraits(ctx context.Context, ids []string) (map[string]store.Portrait, error)
	GetExhibits(ctx context.Context, ids []string) (map[string]store.Exhibit, error)
}

// DefaultRights is used when a portrait's rights are not a URI IIIF
// accepts: the conservative "In Copyright" statement, since the works are
// recent paintings by living artists.
const DefaultRights = "http://rightsstatements.org/vocab/InC/1.0/"

// PresentationRoutes registers the IIIF Presentation 3.0 endpoints:
//
//	GET /presentation/manifest/{portraitID}
//	GET /presentation/collection/{exhibitID}
//
// Only published portraits and exhibits are shown; anything else is 404.
func (s *Service) PresentationRoutes(mux *http.ServeMux, c Catalog) {
	mux.HandleFunc("GET /presentation/manifest/{id}", func(w http.ResponseWriter, r *http.Request) {
		commonHeaders(w)
		id := r.PathValue("id")
		ps, err := c.GetPortraits(r.Context(), []string{id})
		if err != nil {
			httpError(w, fmt.Errorf("manifest: %w", err))
			return
		}
		p, ok := ps[id]
		if !ok || !p.Published {
			httpError(w, ErrNotFound)
			return
		}
		info, err := s.Info(p.SHA256)
		if err != nil {
			httpError(w, err)
			return
		}
		writeLD(w, r, Manifest(BaseURL(r), p, info))
	})
	mux.HandleFunc("GET /presentation/collection/{id}", func(w http.ResponseWriter, r *http.Request) {
		commonHeaders(w)
		id := r.PathValue("id")
		es, err := c.GetExhibits(r.Context(), []string{id})
		if err != nil {
			httpError(w, fmt.Errorf("collection: %w", err))
			return
		}
		e, ok := es[id]
		if !ok || !e.Published {
			httpError(w, ErrNotFound)
			return
		}
		ps, err := c.GetPortraits(r.Context(), e.PortraitIDs)
		if err != nil {
			httpError(w, fmt.Errorf("collection: %w", err))
			return
		}
		var items []store.Portrait
		for _, pid := range e.PortraitIDs {
			if p, ok := ps[pid]; ok && p.Published {
				items = append(items, p)
			}
		}
		writeLD(w, r, Collection(BaseURL(r), e, items))
	})
}

func writeLD(w http.ResponseWriter, r *http.Request, doc any) {
	ctype := "application/json"
	if strings.Contains(r.Header.Get("Accept"), "application/ld+json") {
		ctype = `application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"`
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "public, max-age=300")
	_ = json.NewEncoder(w).Encode(doc)
}

// lang is a IIIF language map with Chinese and English, dropping empties.
func lang(zh, en string) map[string][]string {
	m := map[string][]string{}
	if zh != "" {
		m["zh"] = []string{zh}
	}
	if en != "" {
		m["en"] = []string{en}
	}
	if len(m) == 0 {
		m["none"] = []string{""}
	}
	return m
}

func entry(labelZH, labelEN string, value map[string][]string) map[string]any {
	return map[string]any{"label": lang(labelZH, labelEN), "value": value}
}

func none(v string) map[string][]string { return map[string][]string{"none": {v}} }

// navDate renders a known date as the xsd:dateTime IIIF asks for, using
// the first day of what is known.
func navDate(d store.Date) string {
	if !d.Known() {
		return ""
	}
	m, day := max(d.Month, 1), max(d.Day, 1)
	return fmt.Sprintf("%04d-%02d-%02dT00:00:00Z", d.Year, m, day)
}

func dateText(d store.Date) string {
	if d.Text != "" {
		return d.Text
	}
	switch d.Precision() {
	case "year", "range":
		return strconv.Itoa(d.Year)
	case "month":
		return fmt.Sprintf("%d-%02d", d.Year, d.Month)
	case "day":
		return fmt.Sprintf("%d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return ""
}

func rightsURI(r string) string {
	for _, p := range []string{"http://creativecommons.org/", "https://creativecommons.org/", "http://rightsstatements.org/vocab/"} {
		if strings.HasPrefix(r, p) {
			return r
		}
	}
	return DefaultRights
}

func portraitLabel(p store.Portrait) map[string][]string {
	zh, en := p.CaptionZH, p.CaptionEN
	if zh == "" && en == "" {
		zh = "画像 " + p.ID
		en = "Portrait " + p.ID
	}
	return lang(zh, en)
}

func thumbnail(base string, p store.Portrait, info Info) []map[string]any {
	if len(info.Derivatives) == 0 {
		return nil
	}
	// The second-smallest derivative (320) suits gallery thumbnails.
	d := info.Derivatives[min(1, len(info.Derivatives)-1)]
	return []map[string]any{{
		"id":     fmt.Sprintf("%s/media/%s/w%d.jpg", base, p.SHA256, d.Width),
		"type":   "Image",
		"format": "image/jpeg",
		"width":  d.Width,
		"height": d.Height,
	}}
}

// Manifest is the IIIF Presentation 3.0 manifest of one portrait: one
// canvas painted with the largest derivative, backed by the image service.
func Manifest(base string, p store.Portrait, info Info) map[string]any {
	id := base + "/presentation/manifest/" + p.ID
	canvas := id + "/canvas/1"
	meta := []map[string]any{}
	add := func(zh, en, v string) {
		if v != "" {
			meta = append(meta, entry(zh, en, none(v)))
		}
	}
	add("画家", "Artist", p.Artist)
	add("绘制日期", "Date painted", dateText(p.Painted))
	add("依据描述", "Based on descriptions by", p.BasedOn)
	if p.Revision > 0 {
		add("修订版次", "Revision", strconv.Itoa(p.Revision))
	}
	if p.Reconstruction {
		meta = append(meta, entry("类型", "Type", lang("复原画像：据亲属描述绘制，并非照片", "Reconstruction painted from relatives' descriptions, not a photograph")))
	}
	add("收藏机构", "Holding archive", p.Archive)
	add("入藏编号", "Accession number", p.AccessionNo)
	if p.Rights != "" && rightsURI(p.Rights) != p.Rights {
		add("权利说明", "Rights", p.Rights)
	}

	attribZH, attribEN := "绘忆英烈", "Huiyi Yinglie (Painting the Fallen)"
	if p.Artist != "" {
		attribZH += " · 画家 " + p.Artist
		attribEN += " · artist " + p.Artist
	}
	if p.Archive != "" {
		attribZH += " · 藏于 " + p.Archive
		attribEN += " · held by " + p.Archive
	}

	body := map[string]any{
		"id":     fmt.Sprintf("%s/iiif/%s/full/max/0/default.jpg", base, p.SHA256),
		"type":   "Image",
		"format": "image/jpeg",
		"width":  info.Width,
		"height": info.Height,
		"service": []map[string]any{{
			"id": base + "/iiif/" + p.SHA256, "type": "ImageService3", "profile": "level2",
		}},
	}
	m := map[string]any{
		"@context": "http://iiif.io/api/presentation/3/context.json",
		"id":       id,
		"type":     "Manifest",
		"label":    portraitLabel(p),
		"metadata": meta,
		"rights":   rightsURI(p.Rights),
		"requiredStatement": map[string]any{
			"label": lang("署名", "Attribution"),
			"value": lang(attribZH, attribEN),
		},
		"items": []map[string]any{{
			"id": canvas, "type": "Canvas", "width": info.Width, "height": info.Height,
			"items": []map[string]any{{
				"id": canvas + "/page", "type": "AnnotationPage",
				"items": []map[string]any{{
					"id": canvas + "/page/image", "type": "Annotation", "motivation": "painting",
					"body": body, "target": canvas,
				}},
			}},
		}},
	}
	if t := thumbnail(base, p, info); t != nil {
		m["thumbnail"] = t
	}
	if nd := navDate(p.Painted); nd != "" {
		m["navDate"] = nd
	}
	return m
}

// Collection is the IIIF Presentation 3.0 collection of an exhibit, its
// manifests in curated order.
func Collection(base string, e store.Exhibit, ps []store.Portrait) map[string]any {
	items := []map[string]any{}
	for _, p := range ps {
		items = append(items, map[string]any{
			"id": base + "/presentation/manifest/" + p.ID, "type": "Manifest", "label": portraitLabel(p),
		})
	}
	meta := []map[string]any{}
	if e.Venue != "" {
		meta = append(meta, entry("展览地点", "Venue", none(e.Venue)))
	}
	if e.Start.Known() {
		v := dateText(e.Start)
		if e.End.Known() {
			v += " – " + dateText(e.End)
		}
		meta = append(meta, entry("展期", "Dates", none(v)))
	}
	if e.DonatedTo != "" {
		meta = append(meta, entry("捐赠给", "Donated to", none(e.DonatedTo)))
	}
	c := map[string]any{
		"@context": "http://iiif.io/api/presentation/3/context.json",
		"id":       base + "/presentation/collection/" + e.ID,
		"type":     "Collection",
		"label":    lang(e.Title, e.TitleEN),
		"metadata": meta,
		"rights":   DefaultRights,
		"requiredStatement": map[string]any{
			"label": lang("署名", "Attribution"),
			"value": lang("绘忆英烈", "Huiyi Yinglie (Painting the Fallen)"),
		},
		"items": items,
	}
	if e.Description != "" {
		c["summary"] = lang(e.Description, "")
	}
	if nd := navDate(e.Start); nd != "" {
		c["navDate"] = nd
	}
	return c
}
