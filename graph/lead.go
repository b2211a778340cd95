package graph

import (
	"strings"
	"unicode/utf8"

	"github.com/guigen/guigen/casework"
	"github.com/guigen/guigen/graph/model"
	"github.com/guigen/guigen/store"
)

// maxClaimText bounds the memories of a claim, in characters.
const maxClaimText = 2000

func leadSource(s string) model.LeadSource {
	src := model.LeadSource(strings.ToUpper(s))
	if !src.IsValid() {
		return model.LeadSourceManual
	}
	return src
}

func optState(s store.LeadState) *store.LeadState {
	if s == "" {
		return nil
	}
	return &s
}

func versionArg(v *int) (int64, error) {
	if v == nil {
		return 0, nil
	}
	if *v < 1 {
		return 0, badInput("expectVersion 须为正数 / expectVersion must be positive, got %d", *v)
	}
	return int64(*v), nil
}

func newLeadInput(in model.CreateLeadInput) (casework.NewLead, error) {
	out := casework.NewLead{MartyrID: strings.TrimSpace(in.MartyrID), Source: "manual"}
	if in.Source != nil {
		out.Source = strings.ToLower(string(*in.Source))
	}
	if in.Summary != nil {
		out.Summary = strings.TrimSpace(*in.Summary)
	}
	if in.Assignee != nil {
		out.AssigneeID = strings.TrimSpace(*in.Assignee)
	}
	if len(in.Candidates) > MaxPageSize {
		return out, badInput("候选人过多 / at most %d candidates", MaxPageSize)
	}
	for _, c := range in.Candidates {
		cand := casework.Candidate{PersonID: strings.TrimSpace(c.PersonID)}
		if c.Relation != nil {
			cand.Relation = store.Relation(strings.ToLower(string(*c.Relation)))
		}
		if c.Line != nil {
			cand.Line = store.Line(strings.ToLower(string(*c.Line)))
		}
		out.Candidates = append(out.Candidates, cand)
	}
	return out, nil
}

func familyClaim(in model.FamilyClaimInput) (casework.Claim, error) {
	q, err := martyrQuery(in.Name, in.Hometown, in.BirthYear, in.Unit, in.First)
	if err != nil {
		return casework.Claim{}, err
	}
	c := casework.Claim{Name: q.Name, Hometown: q.Hometown, BirthYear: q.BirthYear, Unit: q.Unit, Limit: q.Limit}
	if in.Memories != nil {
		if !utf8.ValidString(*in.Memories) || utf8.RuneCountInString(*in.Memories) > maxClaimText {
			return c, badInput("回忆内容不得超过 %d 字 / memories must be at most %d characters", maxClaimText, maxClaimText)
		}
		c.Memories = *in.Memories
	}
	return c, nil
}
