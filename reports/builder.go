package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/analytics"
	"github.com/xiaoneng/xiaoneng/scoring"
)

// Builder renders reports from a store. Its values come from analytics
// (stored rankings, county rates, QA, explanations) under one scheme.
type Builder struct {
	store  *analytics.Store
	meta   Meta
	scheme scoring.Scheme
	r      *renderer
}

// New returns a Builder. An empty m.Office becomes DefaultOffice prefixed
// with m.City; an empty m.Date becomes today's date.
func New(st *analytics.Store, m Meta, s scoring.Scheme) (*Builder, error) {
	r, err := newRenderer()
	if err != nil {
		return nil, err
	}
	if m.Office == "" {
		m.Office = m.City + DefaultOffice
	}
	if m.Date == "" {
		m.Date = ChineseDate(time.Now())
	}
	return &Builder{store: st, meta: m, scheme: s, r: r}, nil
}

// ChineseDate formats a date as 2019年7月5日.
func ChineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// doc renders a report with a cover page into a Document.
func (b *Builder) doc(ctx context.Context, name, tmpl, title, subtitle string, body any) (Document, error) {
	return b.docPage(ctx, name, tmpl, title, subtitle, body, false)
}

// docPage renders a report, compact (no cover page) or not.
func (b *Builder) docPage(ctx context.Context, name, tmpl, title, subtitle string, body any, compact bool) (Document, error) {
	if err := ctx.Err(); err != nil {
		return Document{}, err
	}
	html, err := b.r.renderPage(tmpl, title, subtitle, b.meta, body, compact)
	if err != nil {
		return Document{}, err
	}
	return Document{Name: name, Title: title, HTML: html}, nil
}
