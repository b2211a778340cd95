package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/guigen/guigen/auth"
	"github.com/guigen/guigen/casework"
	"github.com/guigen/guigen/store"
)

// Error codes in extensions.code. gqlgen's own codes
// (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, ...) pass unchanged.
const (
	CodeBadUserInput = "BAD_USER_INPUT"
	CodeNotFound     = "NOT_FOUND"
	CodeUnavailable  = "UNAVAILABLE"
	CodeInternal     = "INTERNAL"

	CodeUnauthenticated   = "UNAUTHENTICATED"
	CodeForbidden         = "FORBIDDEN"
	CodeConflict          = "CONFLICT"
	CodeInvalidTransition = "INVALID_TRANSITION"
)

// knownCodes is the one small set every error's extensions.code is from.
var knownCodes = map[string]bool{
	CodeBadUserInput: true, CodeUnauthenticated: true, CodeForbidden: true, CodeNotFound: true,
	CodeConflict: true, CodeInvalidTransition: true, CodeUnavailable: true, CodeInternal: true,
}

const (
	msgUnavailable = "数据库暂不可用 / database unavailable"
	msgInternal    = "内部错误 / internal error"
)

// inputError is a bad argument, with a message meant for the caller.
type inputError struct{ msg string }

func (e inputError) Error() string        { return e.msg }
func (e inputError) Is(target error) bool { return target == store.ErrInvalid }

func badInput(format string, args ...any) error { return inputError{fmt.Sprintf(format, args...)} }

// presentError turns a resolver's error into what the caller sees. Only
// input errors say what went wrong; anything unexpected is logged and
// reported as a generic INTERNAL error, so no database detail leaks.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		if code, ok := gerr.Extensions["code"].(string); ok || gerr.Err == nil {
			// gqlgen's own parse, validation, variable and complexity
			// errors: their message is meant for the caller, their code
			// joins ours (kept as extensions.reason).
			if !knownCodes[code] {
				out := *gerr
				out.Extensions = map[string]any{}
				for k, v := range gerr.Extensions {
					out.Extensions[k] = v
				}
				out.Extensions["code"] = CodeBadUserInput
				if code != "" {
					out.Extensions["reason"] = code
				}
				return &out
			}
			return gerr
		}
		cause := gerr.Err
		setCode := func(code, msg string) *gqlerror.Error {
			out := *gerr
			out.Message = msg
			out.Extensions = map[string]any{"code": code}
			for k, v := range gerr.Extensions {
				out.Extensions[k] = v
			}
			return &out
		}
		var in inputError
		switch {
		case errors.As(cause, &in):
			return setCode(CodeBadUserInput, in.msg)
		case errors.Is(cause, auth.ErrUnauthenticated):
			return setCode(CodeUnauthenticated, cause.Error())
		case errors.Is(cause, auth.ErrForbidden):
			return setCode(CodeForbidden, cause.Error())
		case errors.Is(cause, casework.ErrInvalidTransition):
			return setCode(CodeInvalidTransition, cause.Error())
		case errors.Is(cause, store.ErrConflict):
			return setCode(CodeConflict, "冲突：数据已被他人修改，请刷新后重试 / conflict: changed since read, reload and retry")
		case errors.Is(cause, store.ErrInvalid):
			return setCode(CodeBadUserInput, "输入无效 / "+cause.Error())
		case errors.Is(cause, store.ErrNotFound):
			return setCode(CodeNotFound, "未找到 / "+cause.Error())
		case errors.Is(cause, errSearchOff):
			return setCode(CodeUnavailable, "搜索暂不可用 / search unavailable")
		case errors.Is(cause, store.ErrUnavailable), errors.Is(cause, context.DeadlineExceeded):
			log.WarnContext(ctx, "graphql: store unavailable", "path", gerr.Path.String(), "err", cause)
			return setCode(CodeUnavailable, msgUnavailable)
		case errors.Is(cause, context.Canceled):
			// The caller went away; nobody reads this answer.
			return setCode(CodeUnavailable, msgUnavailable)
		}
		log.ErrorContext(ctx, "graphql: internal error", "path", gerr.Path.String(), "err", cause)
		return setCode(CodeInternal, msgInternal)
	}
}

// errPanic stands for a recovered panic; the presenter reports it as
// INTERNAL after recoverPanic has logged the value and stack.
var errPanic = errors.New("panic in resolver")

func recoverPanic(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		log.ErrorContext(ctx, "graphql: panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		return errPanic
	}
}
