// Package mocktest starts the in-process mock Secure Access service
// (internal/mockserver) for tests: one fresh mock per test, served by
// httptest, with one bootstrapped directory integration and its SCIM token,
// in strict filter mode and with Cisco's rate limit windows (scaled by
// SECUREACCESS_MOCK_RATE_SCALE) for the acceptance and end-to-end tests
// unless SECUREACCESS_MOCK_STRICT=0, and for the others when
// SECUREACCESS_MOCK_STRICT=1, with the SCIM quirks SECUREACCESS_MOCK_QUIRKS
// names, and stopped when the test ends. The provider's acceptance tests, the
// end-to-end tests, the SCIM and admin clients' tests and the benchmark
// harness's tests all start their mock here.
package mocktest

import (
	"net/http/httptest"
	"os"
	"strconv"
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// EnvStrict, set to 1, starts every mock in strict filter mode: it refuses
// every SCIM filter but the ones Secure Access documents, as the real
// endpoint may, and keeps Cisco's rate limit windows. The acceptance and
// end-to-end tests' mocks (StartAcceptance) are strict unless it is set to
// 0; the clients' tests' (Start) only when it is set to 1.
const EnvStrict = "SECUREACCESS_MOCK_STRICT"

// EnvRateScale, a positive number, multiplies the periods of the rate
// limit windows strict mode turns on (mockserver.CiscoRateLimits): 1 runs
// them at Cisco's real length (a minute is a minute), the default
// DefaultRateScale at a hundredth, so that the suites run at test speed
// with the windows' shape. The provider the tests run keeps its windows at
// the same scale (its test hook; see RateScale).
const EnvRateScale = "SECUREACCESS_MOCK_RATE_SCALE"

// DefaultRateScale is the scale of the windows without EnvRateScale: a
// second of 10 ms, a minute of 600 ms, 30 minutes of 18 s.
const DefaultRateScale = 0.01

// EnvQuirks, a comma-separated list of quirk names such as
// "patch-204,no-meta" (scimserver.ParseQuirks), starts every mock with
// those SCIM quirks on top of Options.Quirks, so that a whole test suite
// runs against the behaviour of another SCIM server.
const EnvQuirks = "SECUREACCESS_MOCK_QUIRKS"

// Mock is a running in-process mock with one directory integration. The
// embedded Server gives the test its memory, request counters (Stats,
// ResetStats), faults, clock and filter mode.
type Mock struct {
	*mockserver.Server
	// URL is the service's base URL.
	URL string
	// DirectoryID and SCIMToken are the bootstrapped directory
	// integration's ID and provisioning token.
	DirectoryID, SCIMToken string

	ts *httptest.Server
}

// Stop stops serving, as a service that went down: from then on every
// connection to URL is refused. The mock's memory stays readable.
func (m *Mock) Stop() { m.ts.Close() }

// Start starts a fresh mock with opts and bootstraps a directory
// integration named directory (identity provider Okta); with directory ""
// the mock has no directory integration (DirectoryID and SCIMToken are
// empty), as a new tenant, for tests of the admin API. The mock is in
// strict filter mode when opts.StrictFilters is set or SECUREACCESS_MOCK_STRICT
// is true; SECUREACCESS_MOCK_STRICT also turns on Cisco's rate limit
// windows, scaled by RateScale, unless opts.RateLimits has its own; a test that needs one mode whatever the environment says sets it
// with SetStrictFilters. Its SCIM quirks are opts.Quirks and those
// SECUREACCESS_MOCK_QUIRKS names (conflicting ones fail the test); a test
// that needs exact quirks sets them with SetQuirks. The mock stops when the
// test ends.
func Start(t testing.TB, directory string, opts mockserver.Options) *Mock {
	t.Helper()
	return start(t, directory, opts, StrictFromEnv(t))
}

// StartAcceptance is Start for the provider's acceptance tests and the
// end-to-end tests: the mock is as strict as the real endpoint is
// documented to be (strict filter mode and Cisco's rate limit windows,
// scaled) unless SECUREACCESS_MOCK_STRICT is false. So make test runs them
// once, against the nearest model of Cisco's endpoint; the lenient mock's
// one difference, richer filters answered, is what the live and interop
// suites meet on the separate mock program and on other SCIM servers.
func StartAcceptance(t testing.TB, directory string, opts mockserver.Options) *Mock {
	t.Helper()
	return start(t, directory, opts, AcceptanceStrict(t))
}

// start is Start with strict mode decided by the caller.
func start(t testing.TB, directory string, opts mockserver.Options, strict bool) *Mock {
	t.Helper()
	opts.StrictFilters = opts.StrictFilters || strict
	if strict && opts.RateLimits.IsZero() {
		opts.RateLimits = mockserver.CiscoRateLimits().Scaled(RateScale(t))
	}
	opts.Quirks |= QuirksFromEnv(t)
	if err := opts.Quirks.Validate(); err != nil {
		t.Fatalf("mock quirks %q (Options.Quirks and %s): %v", opts.Quirks, EnvQuirks, err)
	}
	srv := mockserver.New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	if directory == "" {
		return &Mock{Server: srv, URL: ts.URL, ts: ts}
	}
	dir, token, err := srv.Bootstrap(directory, "okta")
	if err != nil {
		t.Fatalf("bootstrapping the mock: %v", err)
	}
	return &Mock{Server: srv, URL: ts.URL, DirectoryID: dir.ID, SCIMToken: token, ts: ts}
}

// StrictFromEnv reports whether SECUREACCESS_MOCK_STRICT asks for strict
// filter mode; a value that is not a boolean fails the test.
func StrictFromEnv(t testing.TB) bool {
	t.Helper()
	return strictFromEnv(t, false)
}

// AcceptanceStrict is StrictFromEnv for the acceptance and end-to-end
// tests: strict unless SECUREACCESS_MOCK_STRICT is false (StartAcceptance).
func AcceptanceStrict(t testing.TB) bool {
	t.Helper()
	return strictFromEnv(t, true)
}

// strictFromEnv is SECUREACCESS_MOCK_STRICT as a boolean, def when it is
// unset or empty; a value that is not a boolean fails the test.
func strictFromEnv(t testing.TB, def bool) bool {
	t.Helper()
	v := os.Getenv(EnvStrict)
	if v == "" {
		return def
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		t.Fatalf("%s=%q: want 1 or 0", EnvStrict, v)
	}
	return on
}

// RateScale is the scale of the rate limit windows: SECUREACCESS_MOCK_RATE_SCALE,
// else DefaultRateScale. A value that is not a positive number fails the
// test (t may be nil outside a test: it then panics).
func RateScale(t testing.TB) float64 {
	v := os.Getenv(EnvRateScale)
	if v == "" {
		return DefaultRateScale
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 {
		msg := EnvRateScale + "=" + strconv.Quote(v) + ": want a positive number, such as 1 or 0.01"
		if t == nil {
			panic(msg)
		}
		t.Helper()
		t.Fatal(msg)
	}
	return f
}

// QuirksFromEnv returns the SCIM quirks SECUREACCESS_MOCK_QUIRKS names
// (none when it is unset or empty); an unknown or conflicting name fails
// the test.
func QuirksFromEnv(t testing.TB) scimserver.Quirks {
	t.Helper()
	q, err := scimserver.ParseQuirks(os.Getenv(EnvQuirks))
	if err != nil {
		t.Fatalf("%s: %v", EnvQuirks, err)
	}
	return q
}

// SCIMURL is the mock's SCIM base URL.
func (m *Mock) SCIMURL() string {
	return m.URL + mockserver.SCIMPath
}

// SCIM returns the SCIM store of the bootstrapped directory integration,
// failing the test when the directory is gone.
func (m *Mock) SCIM(t testing.TB) *scimserver.Store {
	t.Helper()
	st, ok := m.Store().DirectorySCIM(m.DirectoryID)
	if !ok {
		t.Fatalf("directory %s is gone from the mock", m.DirectoryID)
	}
	return st
}
