package models

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestMemoSharesOneComputationAndForgetsOnInvalidate(t *testing.T) {
	m := newMemo[string, int](time.Hour, 10)
	var runs atomic.Int64
	release := make(chan struct{})
	compute := func() (int, error) {
		runs.Add(1)
		<-release
		return int(runs.Load()), nil
	}
	var wg sync.WaitGroup
	got := make([]int, 8)
	for i := range got {
		wg.Go(func() { got[i], _ = m.load("k", compute) })
	}
	time.Sleep(50 * time.Millisecond) // let them all ask while the first computes
	close(release)
	wg.Wait()
	if runs.Load() != 1 {
		t.Fatalf("8 concurrent loads computed %d times", runs.Load())
	}
	for _, v := range got {
		if v != 1 {
			t.Fatalf("a waiter got %d, want the shared 1", v)
		}
	}
	m.invalidate()
	if v, _ := m.load("k", compute); v != 2 {
		t.Fatalf("after invalidate: %d, want a fresh 2", v)
	}
}

func TestMemoServesAnOldValueWhileRefreshing(t *testing.T) {
	m := newMemo[string, int](time.Millisecond, 10)
	var n atomic.Int64
	compute := func() (int, error) { return int(n.Add(1)), nil }
	if v, _ := m.load("k", compute); v != 1 {
		t.Fatal(v)
	}
	time.Sleep(5 * time.Millisecond)
	if v, _ := m.load("k", compute); v != 1 {
		t.Fatalf("an old value should be served at once, got %d", v)
	}
	deadline := time.Now().Add(time.Second)
	for {
		if v, _ := m.load("k", compute); v >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the background refresh never landed")
		}
		time.Sleep(2 * time.Millisecond)
	}
}
