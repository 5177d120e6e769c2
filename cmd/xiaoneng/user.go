package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/xiaoneng/xiaoneng/analytics"
)

func (a *app) userCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "user",
		Short: "账户管理 (accounts of the web service: add, reset, disable, enable, list, token)",
		Long: `Manages the web service's accounts. Roles: admin (效能办), leader (领导) and
evaluator (评议人, linked to an imported evaluator with --evaluator). Passwords
are read from the terminal, or from standard input with --password-stdin;
they need at least 8 characters and at most 72 bytes, and are stored as
bcrypt hashes. Every change is written to the audit log.`,
	}
	c.AddCommand(a.userAddCmd(), a.userResetCmd(), a.userDisableCmd(true), a.userDisableCmd(false), a.userListCmd(), a.userTokenCmd())
	return c
}

// readPassword reads a new password from the terminal (twice) or one line of stdin.
func (a *app) readPassword(fromStdin bool) (string, error) {
	if fromStdin || !term.IsTerminal(int(os.Stdin.Fd())) {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", errors.New("no password on standard input")
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fmt.Fprint(a.errOut, "密码: ")
	p1, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(a.errOut)
	if err != nil {
		return "", err
	}
	fmt.Fprint(a.errOut, "再次输入: ")
	p2, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(a.errOut)
	if err != nil {
		return "", err
	}
	if string(p1) != string(p2) {
		return "", errors.New("the two passwords differ")
	}
	return string(p1), nil
}

func (a *app) userAddCmd() *cobra.Command {
	var role, evaluator, name string
	var stdin bool
	c := &cobra.Command{
		Use:   "add USERNAME",
		Short: "add an account (--role admin|leader|evaluator)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := a.readPassword(stdin)
			if err != nil {
				return err
			}
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			u := analytics.User{Username: args[0], DisplayName: name, Role: role, EvaluatorID: evaluator}
			if err := st.AddUser(cmd.Context(), u, pw, "cli", time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "已添加账户 %s (%s)\n", args[0], role)
			return nil
		},
	}
	c.Flags().StringVar(&role, "role", "", "admin, leader or evaluator (required)")
	c.Flags().StringVar(&evaluator, "evaluator", "", "evaluator_id of an imported evaluator (role evaluator)")
	c.Flags().StringVar(&name, "name", "", "display name (default: the user name)")
	c.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from standard input")
	_ = c.MarkFlagRequired("role")
	return c
}

func (a *app) userResetCmd() *cobra.Command {
	var stdin bool
	c := &cobra.Command{
		Use:   "reset USERNAME",
		Short: "set a new password (clears login throttles, ends sessions and API tokens)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := a.readPassword(stdin)
			if err != nil {
				return err
			}
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.SetPassword(cmd.Context(), args[0], pw, "cli", time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "已重置 %s 的密码\n", args[0])
			return nil
		},
	}
	c.Flags().BoolVar(&stdin, "password-stdin", false, "read the password from standard input")
	return c
}

func (a *app) userDisableCmd(disable bool) *cobra.Command {
	use, short, word := "disable USERNAME", "disable an account (ends its sessions and API tokens)", "停用"
	if !disable {
		use, short, word = "enable USERNAME", "enable a disabled account (clears login throttles)", "启用"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.SetDisabled(cmd.Context(), args[0], disable, "cli", time.Now()); err != nil {
				return err
			}
			fmt.Fprintf(a.out, "已%s账户 %s\n", word, args[0])
			return nil
		},
	}
}

func (a *app) userListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "list the accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			us, err := st.Users(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.out, 0, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "用户名\t姓名\t角色\t评议人\t状态")
			for _, u := range us {
				state := "正常"
				if u.Disabled {
					state = "停用"
				} else if u.LockedUntil.After(time.Now()) {
					state = "登录受限至 " + u.LockedUntil.Local().Format("15:04:05")
				}
				if u.FailedLogins > 0 {
					state += fmt.Sprintf("(上次成功登录后失败 %d 次)", u.FailedLogins)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.DisplayName, u.Role, u.EvaluatorID, state)
			}
			return tw.Flush()
		},
	}
}

func (a *app) userTokenCmd() *cobra.Command {
	var name string
	c := &cobra.Command{
		Use:   "token USERNAME",
		Short: "create a bearer token for the JSON API (printed once)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.open(cmd.Context())
			if err != nil {
				return err
			}
			defer st.Close()
			tok, err := st.CreateAPIToken(cmd.Context(), args[0], name, "cli", time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintln(a.out, tok)
			fmt.Fprintln(a.errOut, "令牌只显示这一次;请求时带上 Authorization: Bearer <令牌>")
			return nil
		},
	}
	c.Flags().StringVar(&name, "name", "api", "what the token is for")
	return c
}
