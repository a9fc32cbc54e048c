package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// clock is the service's time: Options.Now moved by an offset that tests
// set, so that a token can be issued 151 days ago or expire tomorrow
// without waiting.
type clock struct {
	base   func() time.Time
	offset atomic.Int64 // nanoseconds
}

// now is the service's current time.
func (c *clock) now() time.Time {
	return c.base().Add(time.Duration(c.offset.Load()))
}

// SetClockOffset moves the service's clock by d from Options.Now (negative:
// into the past). Every time the service records or compares from then on
// uses it: token issue and expiry, access tokens, SCIM meta. It is not
// persisted and POST /_mock/reset leaves it alone.
func (s *Server) SetClockOffset(d time.Duration) {
	s.clock.offset.Store(int64(d))
}

// ClockOffset is the offset SetClockOffset last set.
func (s *Server) ClockOffset() time.Duration {
	return time.Duration(s.clock.offset.Load())
}

// clockBody is the answer of GET and POST /_mock/clock, and the body of
// POST /_mock/clock (offset, a Go duration such as "-3624h", or now, an
// RFC 3339 time the clock is set to; one of them).
type clockBody struct {
	Now    string `json:"now,omitempty"`
	Offset string `json:"offset,omitempty"`
}

// handleGetClock is GET /_mock/clock.
func (s *Server) handleGetClock(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.clockState())
}

// handleSetClock is POST /_mock/clock.
func (s *Server) handleSetClock(w http.ResponseWriter, r *http.Request) {
	var req clockBody
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeMessage(w, http.StatusBadRequest, fmt.Sprintf("invalid clock body: %v", err))
		return
	}
	switch {
	case req.Now != "" && req.Offset != "":
		writeMessage(w, http.StatusBadRequest, "set one of now and offset, not both")
		return
	case req.Now != "":
		at, err := time.Parse(time.RFC3339, req.Now)
		if err != nil {
			writeMessage(w, http.StatusBadRequest, fmt.Sprintf("now must be an RFC 3339 time: %v", err))
			return
		}
		s.SetClockOffset(at.Sub(s.clock.base()))
	case req.Offset != "":
		d, err := time.ParseDuration(req.Offset)
		if err != nil {
			writeMessage(w, http.StatusBadRequest, fmt.Sprintf("offset must be a duration such as \"-3624h\": %v", err))
			return
		}
		s.SetClockOffset(d)
	default:
		writeMessage(w, http.StatusBadRequest, "set now (RFC 3339) or offset (a duration such as \"-3624h\")")
		return
	}
	writeJSON(w, http.StatusOK, s.clockState())
}

// clockState is the clock as GET /_mock/clock shows it.
func (s *Server) clockState() clockBody {
	return clockBody{Now: s.clock.now().UTC().Format(time.RFC3339), Offset: s.ClockOffset().String()}
}
