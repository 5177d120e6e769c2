package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/xiaoneng/xiaoneng/queries"
)

// OverdueProject is a key project not started by the as-of date although
// its planned start has passed (逾期未开工).
type OverdueProject struct {
	ProjectID     string    `json:"project_id"`
	Name          string    `json:"name"`
	UnitID        string    `json:"unit_id"`
	County        string    `json:"county"`
	Level         string    `json:"level"`
	PlannedStart  time.Time `json:"planned_start"`
	DaysOverdue   int       `json:"days_overdue"`
	AnnualPlan    float64   `json:"annual_plan"`
	InvestmentYTD float64   `json:"investment_ytd"`
}

// OverdueProjects lists the projects of asOf's year whose planned start is
// before asOf and that have not started by asOf (by their latest progress row
// of the year at or before asOf's month), the longest overdue first.
func (s *Store) OverdueProjects(ctx context.Context, asOf time.Time) ([]OverdueProject, error) {
	var out []OverdueProject
	day := time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	err := s.eachRow(ctx, queries.SQL("projects_overdue"), []any{day}, func(r *sql.Rows) error {
		var p OverdueProject
		if err := r.Scan(&p.ProjectID, &p.Name, &p.UnitID, &p.County, &p.Level, &p.PlannedStart, &p.DaysOverdue, &p.AnnualPlan, &p.InvestmentYTD); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: overdue projects as of %s: %w", day.Format(time.DateOnly), err)
	}
	return out, nil
}
