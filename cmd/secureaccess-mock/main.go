// Command secureaccess-mock serves the mock Cisco Secure Access service
// (management API token, directory integrations, SCIM 2.0, Reports
// identities and the test-only /_mock/ control plane) on a local address,
// for trying the provider or an IdP against it without a tenant.
//
// The first line on stdout is "listening on http://HOST:PORT".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// Environment variables read for the flag defaults.
const (
	envClientID     = "SECUREACCESS_MOCK_CLIENT_ID"
	envClientSecret = "SECUREACCESS_MOCK_CLIENT_SECRET"
)

// shutdownTimeout bounds the graceful shutdown after SIGINT/SIGTERM.
const shutdownTimeout = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "secureaccess-mock:", err)
		os.Exit(1)
	}
}

// config is the parsed command line.
type config struct {
	listen       string
	allowRemote  bool
	verbose      bool
	bootstrap    string
	bootstrapIDP string
	dataFile     string
	clockOffset  time.Duration
	opts         mockserver.Options
	fault        mockserver.FaultRule
}

// run parses args, serves the mock until ctx is done, then shuts it down
// gracefully; with "push" first, it plays the identity provider instead
// (runPush). getenv supplies the environment. -help returns nil.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "push" {
		if err := runPush(ctx, args[1:], getenv, stdout, stderr); !errors.Is(err, flag.ErrHelp) {
			return err
		}
		return nil
	}
	cfg, err := parseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := checkListen(cfg.listen, cfg.allowRemote); err != nil {
		return err
	}
	cfg.opts.Logger = newLogger(stderr, cfg.verbose)
	srv, err := newServer(cfg)
	if err != nil {
		return err
	}
	err = listenAndServe(ctx, srv, cfg, stdout)
	if err == nil {
		logServed(cfg.opts.Logger, srv.Stats())
	}
	if cerr := srv.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("close -data file: %w", cerr))
	}
	return err
}

// newServer returns the mock, persistent when -data is set, with the fault
// flags applied.
func newServer(cfg config) (*mockserver.Server, error) {
	srv, err := openServer(cfg)
	if err != nil {
		return nil, err
	}
	srv.SetClockOffset(cfg.clockOffset)
	if cfg.fault != (mockserver.FaultRule{}) {
		if err := srv.ValidateFault(cfg.fault); err != nil {
			_ = srv.Close() // the fault flags' error is the one to report.
			return nil, fmt.Errorf("fault flags: %w", err)
		}
		srv.SetFaults(cfg.fault)
	}
	return srv, nil
}

// openServer returns the mock: persistent in the -data file when set, in
// memory otherwise.
func openServer(cfg config) (*mockserver.Server, error) {
	if cfg.dataFile == "" {
		return mockserver.New(cfg.opts), nil
	}
	srv, err := mockserver.Open(cfg.dataFile, cfg.opts)
	if err != nil {
		return nil, fmt.Errorf("-data: %w", err)
	}
	return srv, nil
}

// listenAndServe prints the listening line, runs -bootstrap and serves
// until ctx is done.
func listenAndServe(ctx context.Context, srv *mockserver.Server, cfg config, stdout io.Writer) error {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	baseURL := "http://" + ln.Addr().String()
	if _, err := fmt.Fprintf(stdout, "listening on %s\n", baseURL); err != nil {
		_ = ln.Close()
		return fmt.Errorf("write stdout: %w", err)
	}
	if cfg.bootstrap != "" {
		if err := bootstrap(srv, cfg, baseURL, stdout); err != nil {
			_ = ln.Close()
			return err
		}
	}
	return serve(ctx, srv, ln)
}

// logServed logs, once the mock has stopped, how many requests it served
// per API and per answer class, and what its rate limit windows saw (the
// most requests of one key in each window, and their 429s): a script that
// ran a suite against the mock (testacc-live.sh) shows how close the suite
// came to Cisco's limits.
func logServed(logger *slog.Logger, st mockserver.Stats) {
	perAPI := map[string]int{}
	for key, n := range st.Requests {
		_, path, _ := strings.Cut(key, " ")
		switch {
		case strings.HasPrefix(path, mockserver.SCIMPath):
			perAPI["scim"] += n
		case strings.HasPrefix(path, "/auth/"):
			perAPI["token"] += n
		case path != "":
			perAPI["admin"] += n
		default:
			perAPI["unmatched"] += n
		}
	}
	attrs := []slog.Attr{slog.Int("requests", st.Total)}
	for _, api := range []string{"admin", "token", "scim", "unmatched"} {
		if n := perAPI[api]; n > 0 || api != "unmatched" {
			attrs = append(attrs, slog.Int(api, n))
		}
	}
	for _, class := range slices.Sorted(maps.Keys(st.Classes)) {
		attrs = append(attrs, slog.Int(class, st.Classes[class]))
	}
	if st.RateLimits != nil {
		attrs = append(attrs, slog.Int("rate_limited", st.RateLimited))
	}
	for _, window := range slices.Sorted(maps.Keys(st.RateLimits)) {
		w := st.RateLimits[window]
		attrs = append(attrs, slog.String(window, fmt.Sprintf("peak %d, %d limited", w.Peak, w.Limited)))
	}
	logger.LogAttrs(context.Background(), slog.LevelInfo, "served", attrs...)
}

// serve answers on ln until ctx is done, then shuts down gracefully.
func serve(ctx context.Context, h http.Handler, ln net.Listener) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// bootstrap creates the -bootstrap directory integration, or keeps the one
// of that name that -data holds, generates a new SCIM token for it and
// prints how to reach it.
func bootstrap(srv *mockserver.Server, cfg config, baseURL string, stdout io.Writer) error {
	dir, token, err := srv.Bootstrap(cfg.bootstrap, cfg.bootstrapIDP)
	if err != nil {
		return err
	}
	if cfg.opts.BaseURL != "" {
		baseURL = strings.TrimRight(cfg.opts.BaseURL, "/")
	}
	users, groups := dir.SCIM.Counts()
	_, err = fmt.Fprintf(stdout, "directory integration: %s (%s, %s; %d users, %d groups)\nprovisioning URL: %s/identity/v2/scim\nSCIM token: %s\n",
		dir.ID, dir.Name, dir.IdentityProvider, users, groups, baseURL, token)
	if err != nil {
		return fmt.Errorf("write stdout: %w", err)
	}
	return nil
}

// parseFlags parses the command line; the client credentials default to
// the environment, then to the mockserver defaults.
func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("secureaccess-mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		_, _ = fmt.Fprintf(fs.Output(), "Usage: secureaccess-mock [flags]\n       secureaccess-mock push -directory FILE [-scim-url URL] [-token-env NAME]\n\n"+
			"Serves the mock Cisco Secure Access service. The first line on stdout is\n"+
			"\"listening on http://HOST:PORT\". /_mock/ is a test-only control plane.\n"+
			"push plays the identity provider instead (secureaccess-mock push -help).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:8080", "`address` to listen on; port 0 picks a free port")
	fs.BoolVar(&cfg.allowRemote, "allow-remote", false, "allow a non-loopback -listen address (the mock has no real security)")
	fs.BoolVar(&cfg.verbose, "verbose", false, "log every request (method, route, status) to stderr")
	fs.StringVar(&cfg.opts.ClientID, "client-id", "",
		"management API client `ID` (default $"+envClientID+", else \""+mockserver.DefaultClientID+"\")")
	fs.StringVar(&cfg.opts.ClientSecret, "client-secret", "",
		"management API client `secret` (default $"+envClientSecret+", else \""+mockserver.DefaultClientSecret+"\")")
	fs.DurationVar(&cfg.opts.AccessTokenTTL, "token-ttl", mockserver.DefaultAccessTokenTTL, "lifetime of access tokens")
	fs.Int64Var(&cfg.opts.MaxBodyBytes, "max-body-bytes", mockserver.DefaultMaxBodyBytes, "request body cap; larger bodies get 413")
	fs.Float64Var(&cfg.opts.AdminRateLimit, "admin-rate-limit", 0, "admin calls per second per key as a token bucket, excess get 429 (0 = off; -rate-limits cisco is the faithful model)")
	rateLimits := fs.String("rate-limits", "off", "`windows` per API key: off, or cisco (Secure Access's: admin 5 per second, 14 per minute, 350 per 30 minutes; token endpoint 20 per minute; sliding; excess get 429 with Retry-After)")
	rateScale := fs.Float64("rate-window-scale", 1, "multiply the periods of the -rate-limits windows by this `factor` (0.01: a minute of 600 ms), for tests")
	fs.StringVar(&cfg.opts.BaseURL, "base-url", "", "external `URL` for provisioningUrl (default: from each request's Host)")
	fs.DurationVar(&cfg.clockOffset, "clock-offset", 0, "move the service's clock by this `duration` (e.g. -3624h: tokens are issued 151 days ago); POST /_mock/clock changes it at run time")
	fs.BoolVar(&cfg.opts.StrictFilters, "strict-filters", false, "answer only the SCIM filters Secure Access documents (one userName eq, displayName eq or externalId eq comparison) and refuse others with 400 invalidFilter, as the real endpoint may; POST /_mock/strict changes it at run time")
	fs.Func("quirks", "SCIM quirks: comma-separated `names` of departures from the normal SCIM behaviour, modelled on other SCIM servers, among "+
		strings.Join(scimserver.QuirkNames(), ", ")+"; POST /_mock/quirks changes them at run time", func(v string) error {
		q, err := scimserver.ParseQuirks(v)
		cfg.opts.Quirks = q
		return err
	})
	fs.Uint64Var(&cfg.opts.Seed, "seed", 0, "seed of the fault injection random source")
	fs.StringVar(&cfg.dataFile, "data", "", "persist the state in this `file` (created if missing): every acknowledged write survives a crash and a restart; access tokens are not kept (default: in memory only)")
	fs.StringVar(&cfg.bootstrap, "bootstrap", "", "create a directory integration with this `name`, or keep the one -data holds, and print its provisioning URL and a new SCIM token (the previous one stops working)")
	fs.StringVar(&cfg.bootstrapIDP, "bootstrap-idp", "okta", "identityProvider of the -bootstrap integration: "+strings.Join(mockserver.IdentityProviders, ", "))
	faultFlags(fs, &cfg.fault)
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	switch *rateLimits {
	case "off":
	case "cisco":
		if *rateScale <= 0 {
			return config{}, fmt.Errorf("-rate-window-scale %v: want a positive factor", *rateScale)
		}
		cfg.opts.RateLimits = mockserver.CiscoRateLimits().Scaled(*rateScale)
	default:
		return config{}, fmt.Errorf("-rate-limits %q: want off or cisco", *rateLimits)
	}
	cfg.opts.ClientID = firstNonEmpty(cfg.opts.ClientID, getenv(envClientID), mockserver.DefaultClientID)
	cfg.opts.ClientSecret = firstNonEmpty(cfg.opts.ClientSecret, getenv(envClientSecret), mockserver.DefaultClientSecret)
	return cfg, nil
}

// faultFlags registers the flags of one fault rule, mirroring POST /_mock/faults.
func faultFlags(fs *flag.FlagSet, f *mockserver.FaultRule) {
	fs.StringVar(&f.Route, "fault-route", "", "limit the fault flags to one route, e.g. \"POST /identity/v2/scim/Users\" (default: every route)")
	fs.DurationVar(&f.Latency, "fault-latency", 0, "delay every request by this much")
	fs.DurationVar(&f.Jitter, "fault-jitter", 0, "add up to this much random delay")
	fs.Float64Var(&f.Rate500, "fault-rate-500", 0, "fraction of requests answered 500")
	fs.Float64Var(&f.Rate503, "fault-rate-503", 0, "fraction of requests answered 503")
	fs.Float64Var(&f.Rate429, "fault-rate-429", 0, "fraction of requests answered 429 without Retry-After")
	fs.Float64Var(&f.Rate429RetryAfter, "fault-rate-429-retry-after", 0, "fraction of requests answered 429 with Retry-After")
	fs.IntVar(&f.RetryAfterSeconds, "fault-retry-after", 0, "Retry-After `seconds` of -fault-rate-429-retry-after (0 means 1)")
	fs.Float64Var(&f.DropRate, "fault-drop-rate", 0, "fraction of requests applied, then answered by closing the connection")
	fs.Float64Var(&f.GarbleRate, "fault-garble-rate", 0, "fraction of requests applied, then answered with the first half of the body only")
	fs.IntVar(&f.Limit, "fault-limit", 0, "stop faulting after this many requests (0 = never)")
}

// firstNonEmpty returns the first non-empty value: a flag, then the
// environment, then the default. Defaults are not flag defaults so that
// -help never prints a secret taken from the environment.
func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// checkListen refuses a non-loopback address unless allowRemote.
func checkListen(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid -listen %q: %w", addr, err)
	}
	if allowRemote || transport.IsLoopback(host) {
		return nil
	}
	return fmt.Errorf("refusing to listen on %q, which is not a loopback address: "+
		"the mock accepts fixed credentials, so pass -allow-remote only if that is what you want", addr)
}

// newLogger logs to stderr: faults always, every request when verbose.
func newLogger(stderr io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
}
