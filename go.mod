module github.com/emkhana/emkhana

go 1.26

require (
	github.com/expr-lang/expr v1.17.8
	golang.org/x/text v0.41.0
)

require (
	github.com/chromedp/chromedp v0.23.0
	github.com/go-json-experiment/json v1.27.2
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/chromedp/cdproto v0.159.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
