module github.com/emkhana/emkhana

go 1.25

require (
	github.com/expr-lang/expr v1.17.8 // indirect
	github.com/stretchr/testify v1.11.1 // indirect
	golang.org/x/text v0.41.0 // indirect
)
