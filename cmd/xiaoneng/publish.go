package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/analytics"
)

func (a *app) publishCmd() *cobra.Command {
	var round, reason string
	var version int
	c := &cobra.Command{
		Use:   "publish --round 2019-B1 [--reason TEXT] [--version N]",
		Short: "发布评议结果 (publish a computed version of a round under the publish gate)",
		Long: `Publishes the newest computed version of a round (or --version N) as the one
leaders, the big screen and the year composite use. Publishing is refused,
with the list of what is missing, when a part of the scheme has data for fewer
than publish.min_coverage of the units the round lists (default 80%), when
fewer than publish.min_participation of the evaluators with an assignment
took part (default 2/3), or when no case was received in the round's months.
--reason publishes anyway; the reason and the unmet checks are stored with
the publication, written to the audit log and printed in the round bulletin.

A round already published takes a newer version directly as a correction
(更正), without reopening it to evaluators: --reason is then required (the
更正理由), and the bulletin says which version replaced which and what changed.
It prints each check (✓ met, ✗ not met) and the version published.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if _, err := analytics.ParseRound(round); err != nil {
				return err
			}
			st, err := a.open(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			actor := cliActor()
			before, err := st.Round(ctx, round)
			if err != nil {
				return err
			}
			rs, err := st.Publish(ctx, round, analytics.PublishOptions{Version: version, Reason: reason}, actor, time.Now())
			if err != nil {
				return publishError(round, before, err)
			}
			gate, err := st.PublishGate(ctx, round, rs.PublishedVersion)
			if err != nil {
				return err
			}
			for _, c := range gate.Checks {
				mark := "✓"
				if !c.OK {
					mark = "✗"
				}
				fmt.Fprintf(a.out, "%s %s\n", mark, c.Text)
			}
			what := "已发布"
			if before.Status == analytics.RoundPublished {
				what = fmt.Sprintf("已发布更正版(取代第 %d 版)", before.PublishedVersion)
			}
			fmt.Fprintf(a.out, "%s %s 第 %d 版", what, round, rs.PublishedVersion)
			if !gate.OK() {
				fmt.Fprint(a.out, ",未满足的条件与理由已记录")
			}
			fmt.Fprintln(a.out)
			return nil
		},
	}
	c.Flags().StringVar(&round, "round", "", "round to publish, e.g. 2019-B1 (required)")
	c.Flags().StringVar(&reason, "reason", "", "written reason: required to publish when a check fails, and for a correction (更正理由)")
	c.Flags().IntVar(&version, "version", 0, "computed version to publish (default: the newest)")
	c.MarkFlagRequired("round")
	return c
}

// publishError words a refused publication as one Chinese line.
func publishError(round string, before analytics.RoundState, err error) error {
	var ge *analytics.GateError
	switch {
	case errors.As(err, &ge):
		return fmt.Errorf("%s;如确需发布,请用 --reason 填写理由", ge.Error())
	case errors.Is(err, analytics.ErrReasonRequired):
		return fmt.Errorf("轮次 %s 已发布第 %d 版,发布更正版须用 --reason 填写更正理由", round, before.PublishedVersion)
	case errors.Is(err, analytics.ErrNoSuchVersion):
		return fmt.Errorf("轮次 %s 没有这个计算版本", round)
	case errors.Is(err, analytics.ErrRoundState):
		switch {
		case before.LatestVersion == 0:
			return fmt.Errorf("轮次 %s 尚未计算,请先运行 xiaoneng score --round %s", round, round)
		case before.Status == analytics.RoundPublished:
			return fmt.Errorf("轮次 %s 已发布第 %d 版,没有更新的计算版本可作为更正版发布", round, before.PublishedVersion)
		}
		return fmt.Errorf("轮次 %s 正处于评议流程中(%s),须先截止评议再发布", round, statusWord(before.Status))
	}
	return err
}

func statusWord(s string) string {
	switch s {
	case analytics.RoundDraft:
		return "草稿"
	case analytics.RoundOpen:
		return "评议中"
	}
	return s
}
