package reports

import (
	"context"
	"fmt"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// roundOverride is the 说明 box of a version published although publish
// checks failed: the checks and the written reason.
type roundOverride struct {
	Failed []string
	Reason string
}

// roundCorrection is the 更正说明 of a version that replaced a published
// one, with the units whose score, rank or tier changed.
type roundCorrection struct {
	Version, Replaces int
	At, ReplacedAt    string // publication dates, 2020年1月6日 ("" when unknown)
	Reason            string
	Rows              []correctionRow
}

// correctionRow is one unit that changed between the two versions.
type correctionRow struct {
	Name, Category             string
	OldScore, NewScore         string
	OldRank, NewRank           string
	OldTier, NewTier           string
	Score, Rank, Tier, Listing bool // which changed; Listing: in only one version
}

// roundPublication reads the publication of the bulletin's version and, for
// a correction, the version it replaced.
func (b *Builder) roundPublication(ctx context.Context, in *roundInput) error {
	pubs, err := b.store.Publications(ctx, in.Ranking.Round)
	if err != nil {
		return err
	}
	st, err := b.store.Round(ctx, in.Ranking.Round)
	if err != nil {
		return err
	}
	if st.PublishedVersion != in.Ranking.Version {
		return nil // the bulletin's version is not the published one
	}
	for i := len(pubs) - 1; i >= 0; i-- {
		if pubs[i].Version != in.Ranking.Version {
			continue
		}
		p := pubs[i]
		in.Publication = &p
		if !p.Correction() {
			return nil
		}
		for j := i - 1; j >= 0; j-- {
			if pubs[j].Version == p.ReplacesVersion {
				r := pubs[j]
				in.Replaced = &r
				break
			}
		}
		old, err := b.store.RankingVersion(ctx, in.Ranking.Round, p.ReplacesVersion)
		if err != nil {
			return err
		}
		in.Before = &old
		return nil
	}
	return nil
}

// roundPublicationOf words the publication notes of a bulletin.
func roundPublicationOf(in roundInput) (*roundOverride, *roundCorrection) {
	p := in.Publication
	if p == nil {
		return nil, nil
	}
	var ov *roundOverride
	if len(p.FailedChecks) > 0 {
		ov = &roundOverride{Failed: p.FailedChecks, Reason: p.Reason}
	}
	if !p.Correction() {
		return ov, nil
	}
	c := &roundCorrection{Version: p.Version, Replaces: p.ReplacesVersion, At: ChineseDate(p.PublishedAt.Local()), Reason: p.Reason}
	if in.Replaced != nil {
		c.ReplacedAt = ChineseDate(in.Replaced.PublishedAt.Local())
	}
	if in.Before != nil {
		c.Rows = versionChanges(*in.Before, in.Ranking)
	}
	return ov, c
}

// versionChanges lists the units whose score, rank or tier differs between
// two versions of a round (or that only one lists), in the new version's
// order, then those only in the old one.
func versionChanges(old, nw analytics.Ranking) []correctionRow {
	before := map[string]analytics.UnitRanking{}
	for _, u := range old.Units {
		before[u.UnitID] = u
	}
	var out []correctionRow
	seen := map[string]bool{}
	for _, u := range nw.Units {
		seen[u.UnitID] = true
		o, ok := before[u.UnitID]
		r := correctionRow{Name: u.Name, Category: u.Category, NewScore: optScore(u.Score), NewRank: optRank(u.Rank), NewTier: optTier(u.Tier),
			OldScore: "—", OldRank: "—", OldTier: "—", Listing: !ok}
		if ok {
			r.OldScore, r.OldRank, r.OldTier = optScore(o.Score), optRank(o.Rank), optTier(o.Tier)
		}
		r.Score, r.Rank, r.Tier = r.OldScore != r.NewScore, r.OldRank != r.NewRank, r.OldTier != r.NewTier
		if r.Listing || r.Score || r.Rank || r.Tier {
			out = append(out, r)
		}
	}
	for _, o := range old.Units {
		if !seen[o.UnitID] {
			out = append(out, correctionRow{Name: o.Name, Category: o.Category, OldScore: optScore(o.Score), OldRank: optRank(o.Rank), OldTier: optTier(o.Tier),
				NewScore: "—", NewRank: "—", NewTier: "—", Listing: true})
		}
	}
	return out
}

func optScore(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *v)
}

func optRank(v *int) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprint(*v)
}

func optTier(v *string) string {
	if v == nil {
		return "—"
	}
	return *v
}
