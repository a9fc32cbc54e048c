package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// No silent waits: the admin client keeps Cisco's rate limits (14 requests
// a minute per API key, among others) on Cisco's hosts, and on any other
// once the service has answered 429 (admin.Config). A wait for them is a
// pause the user sees as "Still reading... 50s elapsed", so an operation
// whose requests waited longer than longRateWait ends with a warning that
// says how long, under which limit, and what makes the waits shorter.

// longRateWait is how long the admin API requests of one operation may
// wait for the rate limits before the operation warns: waits for the
// per-second window (a second and the client's margin for every five
// requests) are the normal pace, a wait for the minute's is not.
const longRateWait = 5 * time.Second

// rateWaitWarnsAfter is longRateWait, scaled like the tests' windows
// (windowScale), but never under two of the windows' margins, which the
// tests do not scale.
func rateWaitWarnsAfter() time.Duration {
	return max(time.Duration(float64(longRateWait)*windowScale()), 2*transport.DefaultWindowMargin)
}

// watchRateWaits returns ctx, which counts how long the calls made with it
// wait for the admin API's rate limits, and the function that ends the
// operation: it warns in diags when they waited longer than longRateWait.
// what names the operation in a sentence: "Reading the directory
// integration \"OKTA\"".
func watchRateWaits(ctx context.Context, what string) (context.Context, func(diags *diag.Diagnostics)) {
	ctx, waits := transport.WithWaitLog(ctx)
	return ctx, func(diags *diag.Diagnostics) {
		total, window := waits.Waited()
		if total <= rateWaitWarnsAfter() {
			return
		}
		why := fmt.Sprintf("the service allows %s per API key (Cisco documents 5 a second, 14 a minute and 350 per 30 minutes), "+
			"and the provider keeps within that rather than be answered 429 Too Many Requests", perPeriod(window))
		if window == (transport.Window{}) {
			why = "the service answered 429 Too Many Requests, and the provider waited before retrying, as the service asked. " +
				"From then on it keeps Cisco's documented limits for this API key (5 requests a second, 14 a minute, 350 per 30 minutes); " +
				"on Cisco's own hosts it keeps them from the first request, so a 429 there means that something else uses the same API key"
		}
		diags.AddWarning("Waited for Secure Access API Rate Limits",
			fmt.Sprintf("%s waited %s for the Secure Access admin API: %s. To wait less: leave batch_refresh on (the default), "+
				"which reads a plan's directory integrations with one listing; keep fewer directory integrations and "+
				"provisioning tokens in one state; and use this API key for nothing else meanwhile. "+
				"The guide \"Large configurations and rate limits\" says more.",
				what, total.Round(100*time.Millisecond), why))
	}
}

// perPeriod says a window in words: "14 requests a minute", "5 requests
// a second", "350 requests per 30 minutes", "14 requests per 600ms".
func perPeriod(w transport.Window) string {
	switch {
	case w.Period == time.Second:
		return fmt.Sprintf("%d requests a second", w.Limit)
	case w.Period == time.Minute:
		return fmt.Sprintf("%d requests a minute", w.Limit)
	case w.Period%time.Minute == 0:
		return fmt.Sprintf("%d requests per %d minutes", w.Limit, w.Period/time.Minute)
	default:
		return fmt.Sprintf("%d requests per %s", w.Limit, w.Period)
	}
}
