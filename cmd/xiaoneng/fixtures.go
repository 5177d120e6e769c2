package main

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/fixtures"
)

func (a *app) fixturesCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "fixtures",
		Short: "示例城市数据 (the sample city: a deterministic fictional city's input files)",
	}
	var scale, out string
	var seed uint64
	gen := &cobra.Command{
		Use:   "generate",
		Short: "生成示例城市 (write the sample city's input files to --out)",
		Long: `Writes the input files of 青川市, a fictional city, for the year 2019: units,
work groups, evaluators, peer scores, cases, complaints, surveys, deductions,
key projects and their progress, signed projects and documents. The same seed
and scale give byte-identical files. Scales: small (seconds, used by tests),
city (≈10 M cases, 2 M complaints), province (≈10× city, for benchmarks).`,
		Example: "  xiaoneng fixtures generate --scale small --out sample/",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			sum, err := fixtures.Generate(fixtures.Options{Scale: fixtures.Scale(scale), Seed: seed, Out: out})
			if err != nil {
				return err
			}
			for _, f := range sum.Files {
				fmt.Fprintf(a.out, "%-28s %-16s %10d rows\n", f.Name, f.Kind, f.Rows)
			}
			return nil
		},
	}
	gen.Flags().StringVar(&scale, "scale", "small", "small, city or province")
	gen.Flags().StringVar(&out, "out", "sample", "folder to write the files to")
	gen.Flags().Uint64Var(&seed, "seed", fixtures.DefaultSeed, "random seed")
	c.AddCommand(gen)
	return c
}
