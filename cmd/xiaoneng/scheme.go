package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/xiaoneng/xiaoneng/scheme"
	"github.com/xiaoneng/xiaoneng/scoring"
)

func (a *app) schemeCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "scheme",
		Short: "评分方案 (print the default scoring scheme, or check a scheme file)",
	}
	show := &cobra.Command{
		Use:   "show",
		Short: "打印默认方案 (print the default scheme as YAML, to copy and edit)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := a.out.Write(scheme.DefaultYAML())
			return err
		},
	}
	check := &cobra.Command{
		Use:   "check FILE",
		Short: "检查方案 (check a scheme file: every problem with its YAML line)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := loadScheme(args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.out, "%s: 方案有效 (scheme is valid), sha256 %s\n", args[0], scoring.SchemeHash(s))
			return nil
		},
	}
	c.AddCommand(show, check)
	return c
}

// loadScheme reads a scheme file; an empty path is the default scheme.
func loadScheme(path string) (scoring.Scheme, error) {
	if path == "" {
		return scheme.Default(), nil
	}
	text, err := os.ReadFile(path)
	if err != nil {
		return scoring.Scheme{}, err
	}
	return scheme.Parse(filepath.Base(path), text)
}
