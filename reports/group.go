package reports

import (
	"fmt"
	"sort"
	"strings"
)

// catGroup is one category's units: the ranked ones by rank then unit_id,
// the unranked ones by unit_id.
type catGroup[T any] struct {
	Name             string
	Ranked, Unranked []T
}

// groupByCategory splits units into categories in the order they first
// appear; key gives a unit's category, unit_id and rank (nil: unranked).
func groupByCategory[T any](units []T, key func(T) (cat, id string, rank *int)) []catGroup[T] {
	var cats []catGroup[T]
	idx := map[string]int{}
	for _, u := range units {
		cat, _, rank := key(u)
		i, ok := idx[cat]
		if !ok {
			i = len(cats)
			idx[cat] = i
			cats = append(cats, catGroup[T]{Name: cat})
		}
		if rank != nil {
			cats[i].Ranked = append(cats[i].Ranked, u)
		} else {
			cats[i].Unranked = append(cats[i].Unranked, u)
		}
	}
	for i := range cats {
		r := cats[i].Ranked
		sort.SliceStable(r, func(a, b int) bool {
			_, ida, ra := key(r[a])
			_, idb, rb := key(r[b])
			if *ra != *rb {
				return *ra < *rb
			}
			return ida < idb
		})
		u := cats[i].Unranked
		sort.SliceStable(u, func(a, b int) bool {
			_, ida, _ := key(u[a])
			_, idb, _ := key(u[b])
			return ida < idb
		})
	}
	return cats
}

// firstAndLast names a category's first and last units with their scores:
// "甲（87.00分）位列第一，乙（60.00分）位列末位", with 并列 for shared places and
// no last place when every unit shares rank 1. ranked is in rank order and
// holds units with a rank and a score only.
func firstAndLast[T any](ranked []T, key func(T) (name string, score float64, rank int)) string {
	at := func(r int) string {
		var names []string
		for _, u := range ranked {
			if name, score, rank := key(u); rank == r {
				names = append(names, fmt.Sprintf("%s（%.2f分）", name, score))
			}
		}
		if len(names) > 1 {
			return strings.Join(names, "、") + "并列"
		}
		return strings.Join(names, "、") + "位列"
	}
	if len(ranked) == 0 {
		return ""
	}
	s := at(1) + "第一"
	if _, _, last := key(ranked[len(ranked)-1]); last > 1 {
		s += "，" + at(last) + "末位"
	}
	return s
}
