package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/graph/model"
	"github.com/guigen/guigen/ingest"
	"github.com/guigen/guigen/media"
	"github.com/guigen/guigen/store"
)

var errMediaOff = fmt.Errorf("画像服务未启用 / the portrait service is not available: %w", store.ErrUnavailable)

// uploadPortrait checks the role and the martyr before reading a byte of
// the image, takes the image in (limits, decoding, derivatives), then
// records the portrait. A failure after intake leaves only
// content-addressed files a later upload of the same bytes reuses.
func (r *Resolver) uploadPortrait(ctx context.Context, martyrID string, file graphql.Upload, in *model.PortraitMetaInput) (*store.Portrait, error) {
	if err := auth.Require(ctx, auth.Curator, auth.Admin); err != nil {
		return nil, err
	}
	if r.Media == nil {
		return nil, errMediaOff
	}
	meta, err := portraitMeta(in)
	if err != nil {
		return nil, err
	}
	if _, err := store.GetMartyr(ctx, r.Store, martyrID); err != nil {
		return nil, fmt.Errorf("upload portrait: martyr %q: %w", martyrID, err)
	}
	p, err := r.Media.Intake(ctx, martyrID, file.File, meta)
	switch {
	case errors.Is(err, media.ErrTooLarge), errors.Is(err, media.ErrUnsupported), errors.Is(err, media.ErrBadImage):
		return nil, badInput("文件 %q：%v / file %q: %v", file.Filename, unwrapAll(err), file.Filename, unwrapAll(err))
	case err != nil:
		return nil, fmt.Errorf("upload portrait: %w", err)
	}
	if err := r.Store.Apply(ctx, &store.Batch{Portraits: []store.Portrait{p}}); err != nil {
		return nil, fmt.Errorf("upload portrait: %w", err)
	}
	return &p, nil
}

// unwrapAll is the innermost error: the media sentinel's bilingual text,
// without the wrapping that names internal steps.
func unwrapAll(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

func portraitMeta(in *model.PortraitMetaInput) (media.Meta, error) {
	var m media.Meta
	if in == nil {
		return m, nil
	}
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return strings.TrimSpace(*p)
	}
	m.ID, m.Artist, m.BasedOn = str(in.ID), str(in.Artist), str(in.BasedOn)
	m.AccessionNo, m.Archive, m.Rights = str(in.AccessionNo), str(in.Archive), str(in.Rights)
	m.CaptionZH, m.CaptionEN = str(in.CaptionZh), str(in.CaptionEn)
	m.RevisionHistory = in.RevisionHistory
	if in.Revision != nil {
		if *in.Revision < 0 {
			return m, badInput("meta.revision 不能为负 / meta.revision must not be negative")
		}
		m.Revision = *in.Revision
	}
	if p := str(in.Painted); p != "" {
		d, ok := ingest.ParseDate(p)
		if !ok {
			return m, badInput("meta.painted 无法识别的日期 %q / meta.painted: unrecognised date %q", p, p)
		}
		m.Painted = d
	}
	m.Reconstruction = in.Reconstruction != nil && *in.Reconstruction
	m.FamilyConsent = in.FamilyConsent != nil && *in.FamilyConsent
	m.Published = in.Published != nil && *in.Published
	if m.Published && !m.FamilyConsent {
		return m, badInput("发布画像须有家属同意 (meta.familyConsent) / publishing a portrait needs the family's consent (meta.familyConsent)")
	}
	return m, nil
}
