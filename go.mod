module github.com/emkhana/emkhana

go 1.25.0

require (
	github.com/expr-lang/expr v1.17.8
	golang.org/x/text v0.41.0
)
