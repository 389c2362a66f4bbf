module github.com/emkhana/emkhana

go 1.25

require github.com/expr-lang/expr v1.17.8
