package graph

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/guigen/guigen/graph/generated"
	"github.com/guigen/guigen/graph/model"
)

// MaxDepth bounds how deep a query's selections nest (introspection
// aside, which the schema bounds). A martyr card is 8 deep.
const MaxDepth = 15

// complexity prices the fields that fan out. A list the store pages
// costs its page size times what is asked of each item; a list under
// each item of a page that the store answers for the whole page at once
// (records, portraits, assertions of a page of martyrs) costs what is
// asked of one, since its size follows the data, not the caller; a list
// needing a round trip per parent (comrades, a cemetery's martyrs) adds
// that round trip's weight.
func complexity() generated.ComplexityRoot {
	const trip = 10
	n := func(first *int) int {
		if first == nil || *first < 1 {
			return DefaultPageSize
		}
		return min(*first, MaxPageSize)
	}
	var c generated.ComplexityRoot
	c.Query.Martyrs = func(child int, _ *model.MartyrFilter, _ *model.MartyrOrder, first *int, _ *string) int {
		return 1 + n(first)*child
	}
	c.Query.Cemeteries = func(child int, first *int, _ *string) int { return 1 + n(first)*child }
	c.Query.Units = func(child int, first *int, _ *string) int { return 1 + n(first)*child }
	c.Query.Events = func(child int, first *int, _ *string) int { return 1 + n(first)*child }
	c.Query.Exhibits = func(child int, first *int, _ *string) int { return 1 + n(first)*child }
	c.Query.Portraits = func(child int, _ *model.PortraitFilter, first *int, _ *string) int { return 1 + n(first)*child }
	c.Query.Nodes = func(child int, ids []string) int { return 1 + max(len(ids), 1)*child }
	perParent := func(child int, first *int, _ *string) int { return trip + n(first)*child }
	c.Cemetery.Martyrs = perParent
	c.Unit.Martyrs = perParent
	c.Place.Martyrs = perParent
	c.ArchivalRecord.Martyrs = func(child int, first *int, _ *string) int { return 1 + n(first)*child }
	c.Martyr.Comrades = func(child int, _ model.NeighbourKind, first *int, _ *string) int { return trip + n(first)*child }
	return c
}

// depthLimit refuses operations nested deeper than MaxDepth before
// anything runs.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if depth := selectionDepth(oc.Operation.SelectionSet, 0, map[string]bool{}); depth > d.max {
		err := gqlerror.Errorf("查询嵌套 %d 层，超过上限 %d / query nested %d deep, at most %d allowed", depth, d.max, depth, d.max)
		err.Extensions = map[string]any{"code": CodeBadUserInput}
		return err
	}
	return nil
}

// selectionDepth is the deepest field path under set; fragments count
// as their fields, and a fragment spread already on the path stops (the
// validator refuses cycles anyway).
func selectionDepth(set ast.SelectionSet, depth int, onPath map[string]bool) int {
	deepest := depth
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue // introspection: as deep as the schema, no deeper
			}
			d = selectionDepth(s.SelectionSet, depth+1, onPath)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, depth, onPath)
		case *ast.FragmentSpread:
			if s.Definition == nil || onPath[s.Name] {
				continue
			}
			onPath[s.Name] = true
			d = selectionDepth(s.Definition.SelectionSet, depth, onPath)
			delete(onPath, s.Name)
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// checkRequest answers what gqlgen's transports would answer with a bare
// Go error string or no code at all: a body too large, a body that is not
// JSON, a wrong content type, unknown request fields, variables that are
// not an object. Everything else goes on to gqlgen.
func checkRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodOptions:
			if v := r.URL.Query().Get("variables"); v != "" && !isJSONObject([]byte(v)) {
				requestError(w, r, http.StatusBadRequest, "variables 须为 JSON 对象 / variables must be a JSON object")
				return
			}
			next.ServeHTTP(legacyStatus{w}, r)
			return
		case http.MethodPost:
		default:
			w.Header().Set("Allow", "GET, POST, OPTIONS")
			requestError(w, r, http.StatusMethodNotAllowed, "仅支持 GET 和 POST / only GET and POST are supported")
			return
		}
		if isMultipart(r) {
			// An upload (the GraphQL multipart request spec); gqlgen's
			// multipart transport parses and bounds it.
			next.ServeHTTP(legacyStatus{w}, r)
			return
		}
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			requestError(w, r, http.StatusUnsupportedMediaType, "Content-Type 须为 application/json / Content-Type must be application/json")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				requestError(w, r, http.StatusRequestEntityTooLarge, "请求体超过 1 MiB / request body larger than 1 MiB")
				return
			}
			requestError(w, r, http.StatusBadRequest, "无法读取请求体 / could not read the request body")
			return
		}
		if msg := checkParams(body); msg != "" {
			requestError(w, r, http.StatusBadRequest, msg)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(legacyStatus{w}, r)
	})
}

// checkParams validates the GraphQL-over-HTTP request parameters.
func checkParams(body []byte) string {
	var params map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&params); err != nil || params == nil || dec.More() {
		return "请求体不是有效的 JSON 对象 / the request body is not a JSON object"
	}
	for k, v := range params {
		isNull := string(v) == "null"
		switch k {
		case "query":
			var q string
			if json.Unmarshal(v, &q) != nil {
				return "query 须为字符串 / query must be a string"
			}
		case "operationName":
			var s string
			if !isNull && json.Unmarshal(v, &s) != nil {
				return "operationName 须为字符串 / operationName must be a string"
			}
		case "variables", "extensions":
			if !isNull && !isJSONObject(v) {
				return k + " 须为 JSON 对象 / " + k + " must be a JSON object"
			}
		default:
			return "未知字段 " + k + " / unknown request field " + k
		}
	}
	if _, ok := params["query"]; !ok {
		if _, persisted := params["extensions"]; !persisted {
			return "缺少 query / query is missing"
		}
	}
	return ""
}

func isJSONObject(b []byte) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal(b, &m) == nil && m != nil
}

// requestError writes a GraphQL error response for a request refused
// before it reached GraphQL.
func requestError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	ct := "application/json; charset=utf-8"
	if strings.Contains(r.Header.Get("Accept"), "application/graphql-response+json") {
		ct = "application/graphql-response+json; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": CodeBadUserInput}}},
	})
}

// legacyStatus answers 200 where gqlgen answers 422 (a document that does
// not parse or validate, variables that do not coerce) to a client that
// asked for application/json: the GraphQL over HTTP spec says such a
// client expects 200 with errors in the body, while clients asking for
// application/graphql-response+json get gqlgen's 4xx unchanged.
type legacyStatus struct{ http.ResponseWriter }

func (w legacyStatus) WriteHeader(code int) {
	if code == http.StatusUnprocessableEntity && strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		code = http.StatusOK
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w legacyStatus) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w legacyStatus) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

func (w legacyStatus) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// isMultipart reports whether r is a multipart/form-data POST (an upload).
func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data" && r.Method == http.MethodPost
}
