//go:build !unix

package main

import "time"

// cpuTime is 0 where the process's CPU time is not read: no CPU time is reported.
func cpuTime() time.Duration { return 0 }
