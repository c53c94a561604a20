// Package ratelimit enforces the per-key request rate and daily quota of a
// plan (issue 4), in-process (Memory) or shared by every node through Redis
// (Redis). Both implement enrichd.Limiter with the same windows and answers.
//
// NOTE: limits use fixed windows: the UTC minute for RequestsPerMinute and the
// UTC day for DailyQuota. Fixed windows are what X-RateLimit-Reset can state
// exactly and what a single Redis INCR per window can count; the price is
// that a client may send up to twice its rate across a minute boundary.
// A refused request counts against neither window.
package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/enrichd/enrichd"
)

// windows returns the minute and day numbers of now and when each ends.
func windows(now time.Time) (minute, day int64, minuteEnd, dayEnd time.Time) {
	sec := now.Unix()
	minute, day = sec/60, sec/86400
	return minute, day, time.Unix((minute+1)*60, 0).UTC(), time.Unix((day+1)*86400, 0).UTC()
}

// decide turns the counts of the current windows, before this request,
// into the answer. It reports whether the request is allowed (and must then
// be counted).
func decide(plan enrichd.Plan, m, d int, now time.Time) (enrichd.RateState, bool, error) {
	rpm, quota := plan.RequestsPerMinute, plan.DailyQuota
	_, _, minuteEnd, dayEnd := windows(now)
	if quota > 0 && d >= quota {
		err := enrichd.Errorf(enrichd.EQUOTA, "Daily quota of %d requests exhausted; it resets at 00:00 UTC.", quota)
		err.RetryAfter = dayEnd.Sub(now)
		return enrichd.RateState{Limit: quota, Remaining: 0, Reset: dayEnd}, false, err
	}
	if rpm > 0 && m >= rpm {
		err := enrichd.Errorf(enrichd.ERATELIMIT, "Rate limit of %d requests per minute exceeded; retry after the reset.", rpm)
		err.RetryAfter = minuteEnd.Sub(now)
		return enrichd.RateState{Limit: rpm, Remaining: 0, Reset: minuteEnd}, false, err
	}
	if rpm > 0 {
		return enrichd.RateState{Limit: rpm, Remaining: rpm - m - 1, Reset: minuteEnd}, true, nil
	}
	return enrichd.RateState{Limit: quota, Remaining: quota - d - 1, Reset: dayEnd}, true, nil
}

func unlimited(k *enrichd.APIKey) bool {
	return k.Plan.RequestsPerMinute <= 0 && k.Plan.DailyQuota <= 0
}

var _ enrichd.Limiter = (*Memory)(nil)

// Memory is an in-process limiter: each node counts on its own. It is the
// default when no Redis is configured.
type Memory struct {
	now func() time.Time

	mu        sync.Mutex
	counts    map[string]*count
	lastSweep int64 // minute of the last sweep of idle keys
}

type count struct {
	minute, day int64
	m, d        int
}

// NewMemory returns an empty in-process limiter.
func NewMemory() *Memory {
	return &Memory{now: time.Now, counts: map[string]*count{}}
}

// Allow implements enrichd.Limiter.
func (l *Memory) Allow(ctx context.Context, key *enrichd.APIKey) (enrichd.RateState, error) {
	if key == nil {
		return enrichd.RateState{}, fmt.Errorf("ratelimit: no key")
	}
	if unlimited(key) {
		return enrichd.RateState{}, nil
	}
	now := l.now()
	minute, day, _, _ := windows(now)

	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(minute, day)
	c := l.counts[key.ID]
	if c == nil {
		c = &count{minute: minute, day: day}
		l.counts[key.ID] = c
	}
	if c.minute != minute {
		c.minute, c.m = minute, 0
	}
	if c.day != day {
		c.day, c.d = day, 0
	}
	st, ok, err := decide(key.Plan, c.m, c.d, now)
	if ok {
		c.m++
		c.d++
	}
	return st, err
}

// sweep drops, at most once a minute, the counters of keys idle since an
// earlier day, so that memory stays bounded by the keys active today.
func (l *Memory) sweep(minute, day int64) {
	if l.lastSweep == minute {
		return
	}
	l.lastSweep = minute
	for id, c := range l.counts {
		if c.day != day {
			delete(l.counts, id)
		}
	}
}
