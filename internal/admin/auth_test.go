package admin

import (
	"testing"
	"time"
)

func TestRefreshTime(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		expiry time.Time
		want   time.Time
	}{
		"one hour: a minute early":  {expiry: now.Add(time.Hour), want: now.Add(59 * time.Minute)},
		"one second: a tenth early": {expiry: now.Add(time.Second), want: now.Add(900 * time.Millisecond)},
		"five minutes: 30s early":   {expiry: now.Add(5 * time.Minute), want: now.Add(4*time.Minute + 30*time.Second)},
		"no expiry: until rejected": {expiry: time.Time{}, want: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := refreshTime(now, tc.expiry); !got.Equal(tc.want) {
				t.Errorf("refreshTime = %v, want %v", got, tc.want)
			}
		})
	}
}
