package mockserver_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// TestClockOffset stands a token 151 days after its issue without waiting:
// a token issued with the clock moved back carries that issue time, and the
// same token expires once the clock passes its expiry.
func TestClockOffset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	base := e.clock.Now()
	admin := e.accessToken()
	dir := e.createDirectory(admin, "Okta", "okta")

	var set struct{ Now, Offset string }
	e.send(http.MethodPost, "/_mock/clock", "", map[string]string{"offset": "-3624h"}).json(t, &set)
	if want := base.Add(-151 * 24 * time.Hour).Format(time.RFC3339); set.Now != want || set.Offset != "-3624h0m0s" {
		t.Errorf("POST /_mock/clock = %+v, want now %s, offset -3624h0m0s", set, want)
	}
	scimToken := e.newSCIMToken(admin, dir.ID, map[string]int{"expiresInDays": 180})
	var meta struct{ GeneratedAt, ExpiresAt string }
	e.send(http.MethodGet, "/admin/v2/directoryIntegrations/"+dir.ID+"/provisioningToken", admin, nil).json(t, &meta)
	if want := base.Add(29 * 24 * time.Hour).Format(time.RFC3339); meta.ExpiresAt != want {
		t.Errorf("expiresAt = %s, want %s (issued 151 days ago for 180 days)", meta.ExpiresAt, want)
	}

	e.srv.SetClockOffset(0)
	if got := e.send(http.MethodGet, "/identity/v2/scim/Users", scimToken, nil).status; got != http.StatusOK {
		t.Errorf("SCIM call on day 151 of 180: %d, want 200", got)
	}
	e.send(http.MethodPost, "/_mock/clock", "", map[string]string{"now": base.Add(30 * 24 * time.Hour).Format(time.RFC3339)})
	if got := e.srv.ClockOffset(); got != 30*24*time.Hour {
		t.Errorf("ClockOffset after POST now = %s, want 720h", got)
	}
	if got := e.send(http.MethodGet, "/identity/v2/scim/Users", scimToken, nil).status; got != http.StatusUnauthorized {
		t.Errorf("SCIM call on day 181 of 180: %d, want 401", got)
	}
	var got struct{ Offset string }
	e.send(http.MethodGet, "/_mock/clock", "", nil).json(t, &got)
	if got.Offset != "720h0m0s" {
		t.Errorf("GET /_mock/clock offset = %q, want 720h0m0s", got.Offset)
	}
}

func TestClockControlRejectsBadBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	for _, body := range []any{
		map[string]string{},
		map[string]string{"offset": "151 days"},
		map[string]string{"now": "yesterday"},
		map[string]string{"now": "2026-01-01T00:00:00Z", "offset": "1h"},
		"not an object",
	} {
		r := e.send(http.MethodPost, "/_mock/clock", "", body)
		if r.status != http.StatusBadRequest {
			t.Errorf("POST /_mock/clock %v: %d, want 400", body, r.status)
		}
	}
	if got := e.srv.ClockOffset(); got != 0 {
		t.Errorf("a rejected body moved the clock by %s", got)
	}
}
