package web

import (
	"context"
	"fmt"

	"github.com/xiaoneng/xiaoneng/analytics"
)

// The server caches what it reads often and what only the server itself can
// change while it runs (it holds the database file): the round states and
// published rankings. Every handler that writes calls s.invalidate().

// cached returns the value under key, computing it with load on a miss.
// Values must be treated as read-only by callers.
func (s *Server) cached(key string, load func() (any, error)) (any, error) {
	s.cacheMu.Lock()
	v, ok := s.cache[key]
	s.cacheMu.Unlock()
	if ok {
		return v, nil
	}
	v, err := load()
	if err != nil {
		return nil, err
	}
	s.cacheMu.Lock()
	s.cache[key] = v
	s.cacheMu.Unlock()
	return v, nil
}

// invalidate drops every cached value; call it after any write.
func (s *Server) invalidate() {
	s.cacheMu.Lock()
	clear(s.cache)
	s.cacheMu.Unlock()
}

// rounds is every round's lifecycle state (cached).
func (s *Server) rounds(ctx context.Context) ([]analytics.RoundState, error) {
	v, err := s.cached("rounds", func() (any, error) { return s.store.Rounds(ctx) })
	if err != nil {
		return nil, err
	}
	return v.([]analytics.RoundState), nil
}

// roundState is one round's state (cached); a round never seen has Status "".
func (s *Server) roundState(ctx context.Context, round string) (analytics.RoundState, error) {
	if _, err := analytics.ParseRound(round); err != nil {
		return analytics.RoundState{}, err
	}
	all, err := s.rounds(ctx)
	if err != nil {
		return analytics.RoundState{}, err
	}
	for _, r := range all {
		if r.Round == round {
			return r, nil
		}
	}
	return analytics.RoundState{Round: round}, nil
}

// publishedRounds lists the rounds with a published version, oldest first.
func (s *Server) publishedRounds(ctx context.Context) ([]analytics.RoundState, error) {
	all, err := s.rounds(ctx)
	if err != nil {
		return nil, err
	}
	var out []analytics.RoundState
	for _, r := range all {
		if r.PublishedVersion != 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

// published is the published (frozen) ranking of a round, cached by round
// and version; analytics.ErrNotPublished when it has none.
func (s *Server) published(ctx context.Context, round string) (analytics.Ranking, error) {
	st, err := s.roundState(ctx, round)
	if err != nil {
		return analytics.Ranking{}, err
	}
	if st.PublishedVersion == 0 {
		return analytics.Ranking{}, fmt.Errorf("%w: %s", analytics.ErrNotPublished, round)
	}
	v, err := s.cached(fmt.Sprintf("ranking:%s:%d", round, st.PublishedVersion), func() (any, error) {
		return s.store.RankingVersion(ctx, round, st.PublishedVersion)
	})
	if err != nil {
		return analytics.Ranking{}, err
	}
	return v.(analytics.Ranking), nil
}

// latestPublished is the newest published round's ranking;
// analytics.ErrNotPublished when nothing is published yet.
func (s *Server) latestPublished(ctx context.Context) (analytics.Ranking, error) {
	rs, err := s.publishedRounds(ctx)
	if err != nil {
		return analytics.Ranking{}, err
	}
	if len(rs) == 0 {
		return analytics.Ranking{}, fmt.Errorf("%w: no round yet", analytics.ErrNotPublished)
	}
	return s.published(ctx, rs[len(rs)-1].Round)
}
