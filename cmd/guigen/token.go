package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/guigen/guigen/auth"
)

// tokenFlags runs `guigen token create|revoke|list`. The subcommand's
// own flags follow it: guigen token create --role volunteer --name 王芳.
func tokenFlags(fs *flag.FlagSet) func(context.Context, *runEnv) error {
	var cfg config
	storeFlags(fs, &cfg)
	return func(ctx context.Context, env *runEnv) error {
		if len(env.args) == 0 {
			return fmt.Errorf("%w: 须指定 create、revoke 或 list / expected create, revoke or list", errUsage)
		}
		sub := flag.NewFlagSet("guigen token "+env.args[0], flag.ContinueOnError)
		sub.SetOutput(io.Discard)
		sub.StringVar(&cfg.DataDir, "data", cfg.DataDir, "data directory (`DIR`; env GUIGEN_DATA)")
		role := sub.String("role", "", "role: journalist, volunteer, caseworker, curator, admin")
		name := sub.String("name", "", "who holds the token (leads are assigned to this name)")
		expires := sub.String("expires", "365d", "when the token stops working: `90d`, `720h`, a date 2027-06-30, or never")
		// Flags may come before or after the positional argument
		// (guigen token revoke ID --data DIR).
		var pos []string
		for rest := env.args[1:]; ; {
			if err := sub.Parse(rest); err != nil {
				return fmt.Errorf("%w: %v", errUsage, err)
			}
			if sub.NArg() == 0 {
				break
			}
			pos = append(pos, sub.Arg(0))
			rest = sub.Args()[1:]
		}
		var run func(context.Context, auth.TokenStore) error
		switch env.args[0] {
		case "create":
			if len(pos) > 0 {
				return fmt.Errorf("%w: 多余的参数 / unexpected arguments %v", errUsage, pos)
			}
			r, err := auth.ParseRole(*role)
			if err != nil {
				return fmt.Errorf("%w: %v", errUsage, err)
			}
			if *name == "" {
				return fmt.Errorf("%w: 须指定 --name / --name is required", errUsage)
			}
			until, err := parseExpiry(*expires, time.Now())
			if err != nil {
				return fmt.Errorf("%w: --expires: %v", errUsage, err)
			}
			run = func(ctx context.Context, ts auth.TokenStore) error {
				secret, t, err := auth.IssueUntil(ctx, ts, *name, r, until)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.stderr, "已创建令牌 %s（%s，%s）。令牌只显示这一次，请妥善保存 / token %s created for %s (%s); it is shown only once:\n",
					t.ID, t.Name, t.Role, t.ID, t.Name, t.Role)
				fmt.Fprintln(env.stdout, secret)
				return nil
			}
		case "revoke":
			if len(pos) != 1 {
				return fmt.Errorf("%w: guigen token revoke TOKEN_ID", errUsage)
			}
			run = func(ctx context.Context, ts auth.TokenStore) error {
				t, err := ts.RevokeToken(ctx, pos[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(env.stdout, "已吊销 / revoked: %s (%s, %s) at %s\n", t.ID, t.Name, t.Role, t.Revoked.Format(time.RFC3339))
				return nil
			}
		case "list":
			if len(pos) > 0 {
				return fmt.Errorf("%w: 多余的参数 / unexpected arguments %v", errUsage, pos)
			}
			run = func(ctx context.Context, ts auth.TokenStore) error {
				list, err := ts.ListTokens(ctx)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tNAME\tROLE\tCREATED\tEXPIRES\tREVOKED")
				now := time.Now()
				for _, t := range list {
					revoked, exp := "-", "never"
					if !t.Revoked.IsZero() {
						revoked = t.Revoked.Format(time.RFC3339)
					}
					if !t.Expires.IsZero() {
						exp = t.Expires.Format(time.RFC3339)
						if t.Expired(now) {
							exp += " (已过期 expired)"
						}
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, t.Created.Format(time.RFC3339), exp, revoked)
				}
				return w.Flush()
			}
		default:
			return fmt.Errorf("%w: 未知子命令 %q，须为 create、revoke 或 list / unknown subcommand %q", errUsage, env.args[0], env.args[0])
		}
		s, err := openStore(ctx, cfg, env.log)
		if err != nil {
			return err
		}
		defer closeStore(s, env.log)
		ts, ok := s.(auth.TokenStore)
		if !ok {
			return errors.New("该存储后端不支持令牌 / this store backend keeps no tokens")
		}
		return run(ctx, ts)
	}
}

// parseExpiry reads --expires: a number of days ("90d"), a Go duration
// ("720h"), a date ("2027-06-30", the end of that day in China Standard
// Time, where the bureaus work) or "never" (zero time).
func parseExpiry(v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "never" || v == "永不":
		return time.Time{}, nil
	case strings.HasSuffix(v, "d"):
		n, err := strconv.Atoi(strings.TrimSuffix(v, "d"))
		if err != nil || n <= 0 || n > 3650 {
			return time.Time{}, fmt.Errorf("天数须为 1 到 3650 / days must be 1 to 3650, got %q", v)
		}
		return now.AddDate(0, 0, n), nil
	}
	if d, err := time.ParseDuration(v); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("有效期须为正 / the duration must be positive, got %q", v)
		}
		return now.Add(d), nil
	}
	cst := time.FixedZone("CST", 8*3600)
	if day, err := time.ParseInLocation("2006-01-02", v, cst); err == nil {
		end := day.AddDate(0, 0, 1)
		if !end.After(now) {
			return time.Time{}, fmt.Errorf("日期已过 / the date %s has passed", v)
		}
		return end, nil
	}
	return time.Time{}, fmt.Errorf("无法识别 %q，可用 90d、720h、2027-06-30 或 never / cannot read %q: use 90d, 720h, 2027-06-30 or never", v, v)
}
