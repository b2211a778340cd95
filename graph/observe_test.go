package graph_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/guigen/guigen/graph"
)

func TestRequestIDAndMetrics(t *testing.T) {
	m := graph.NewMetrics()
	sink := &logSink{}
	log := slog.New(slog.NewJSONHandler(sink, nil))
	srv := httptest.NewServer(graph.NewHandler(fixtureStore(t), log, graph.WithMetrics(m)))
	defer srv.Close()
	metrics := httptest.NewServer(m.Handler())
	defer metrics.Close()

	post := func(id, body string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if id != "" {
			req.Header.Set("X-Request-Id", id)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	// An id from the caller comes back and is on the log line.
	resp := post("card-42", `{"query": "query MartyrCard { martyrs(first: 3) { edges { node { name hometown { name } } } } }", "operationName": "MartyrCard"}`)
	if got := resp.Header.Get("X-Request-Id"); got != "card-42" {
		t.Errorf("X-Request-Id = %q, want the caller's", got)
	}
	if !strings.Contains(sink.String(), `"request_id":"card-42"`) || !strings.Contains(sink.String(), `"operation":"MartyrCard"`) {
		t.Errorf("log lacks the request id or operation: %s", sink.String())
	}
	// Without one (or with garbage) the server makes one.
	for _, id := range []string{"", "bad id\twith spaces"} {
		if got := post(id, `{"query": "{ martyrs { totalCount } }"}`).Header.Get("X-Request-Id"); got == "" || got == id {
			t.Errorf("X-Request-Id for %q = %q, want a fresh one", id, got)
		}
	}
	post("", `{"query": "{ martyrs(first: 1000000) { totalCount } }"}`)

	mresp, err := http.Get(metrics.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(mresp.Body)
	mresp.Body.Close()
	for _, want := range []string{
		`guigen_graphql_operations_total{operation="MartyrCard",type="query"} 1`,
		`guigen_graphql_operation_duration_seconds_count{operation="MartyrCard"} 1`,
		`guigen_graphql_errors_total{code="BAD_USER_INPUT"} 1`,
		`guigen_store_round_trips_total{method="ListMartyrs"} 3`,
		`guigen_store_round_trips_total{method="GetPlaces"} 1`,
	} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if t.Failed() {
		t.Logf("metrics:\n%s", body)
	}
}
