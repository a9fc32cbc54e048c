package provider

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// TestWatchRateWaits: an operation whose admin API calls waited for the
// rate limits longer than rateWaitWarnsAfter ends with one warning that
// says how long, under which limit, and what makes it shorter; one that
// waited less ends with none.
func TestWatchRateWaits(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, "Waits", mockserver.Options{ClientID: testClientID, ClientSecret: testClientSecret})
	window := transport.Window{Limit: 1, Period: rateWaitWarnsAfter() + 300*time.Millisecond}
	cfg := admin.Config{BaseURL: m.URL, ClientID: testClientID, ClientSecret: testClientSecret}
	cfg.Windows, cfg.WindowMargin, cfg.WindowKey = []transport.Window{window}, -1, t.Name()
	c, err := admin.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		calls       int
		wantWarning bool
	}{{1, false}, {2, true}} {
		calls, wantWarning := tc.calls, tc.wantWarning
		ctx, end := watchRateWaits(t.Context(), `Reading the directory integration "OKTA"`)
		for range calls {
			if _, err := c.DirectoryIntegrations.List(ctx); err != nil {
				t.Fatal(err)
			}
		}
		var diags diag.Diagnostics
		end(&diags)
		if !wantWarning {
			if len(diags) != 0 {
				t.Errorf("%d call: %v, want no diagnostic", calls, diags)
			}
			time.Sleep(window.Period) // the next case's first call has its slot again
			continue
		}
		if len(diags) != 1 || diags[0].Severity() != diag.SeverityWarning || diags[0].Summary() != "Waited for Secure Access API Rate Limits" {
			t.Fatalf("%d calls: %v, want one warning", calls, diags)
		}
		for _, want := range []string{`Reading the directory integration "OKTA" waited `, "the service allows " + perPeriod(window) + " per API key",
			"leave batch_refresh on", `guide "Large configurations and rate limits"`} {
			if !strings.Contains(diags[0].Detail(), want) {
				t.Errorf("warning %q does not say %q", diags[0].Detail(), want)
			}
		}
	}
}

// TestWatchRateWaits_retryAfter: a wait before retrying a 429, as the
// service's Retry-After asked, counts too, and the warning says that the
// service asked for it.
func TestWatchRateWaits_retryAfter(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, "RetryAfter", mockserver.Options{ClientID: testClientID, ClientSecret: testClientSecret})
	seconds := int(rateWaitWarnsAfter()/time.Second) + 1
	m.SetFaults(mockserver.FaultRule{Route: "GET /admin/v2/directoryIntegrations", Rate429RetryAfter: 1, RetryAfterSeconds: seconds, Limit: 1})
	cfg := admin.Config{BaseURL: m.URL, ClientID: testClientID, ClientSecret: testClientSecret}
	cfg.RateLimit = math.Inf(1) // no windows: only the service's 429
	c, err := admin.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, end := watchRateWaits(t.Context(), "Reading data.secureaccess_directory_integrations")
	if _, err := c.DirectoryIntegrations.List(ctx); err != nil {
		t.Fatal(err)
	}
	var diags diag.Diagnostics
	end(&diags)
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), "the service answered 429 Too Many Requests, and the provider waited before retrying, as the service asked") ||
		!strings.Contains(diags[0].Detail(), fmt.Sprintf("waited %ds", seconds)) {
		t.Errorf("diagnostics %v, want one warning that the service asked for a wait of %d s", diags, seconds)
	}
}

func TestPerPeriod(t *testing.T) {
	t.Parallel()
	for w, want := range map[transport.Window]string{
		{Limit: 5, Period: time.Second}:             "5 requests a second",
		{Limit: 14, Period: time.Minute}:            "14 requests a minute",
		{Limit: 350, Period: 30 * time.Minute}:      "350 requests per 30 minutes",
		{Limit: 14, Period: 600 * time.Millisecond}: "14 requests per 600ms",
	} {
		if got := perPeriod(w); got != want {
			t.Errorf("perPeriod(%v) = %q, want %q", w, got, want)
		}
	}
}
