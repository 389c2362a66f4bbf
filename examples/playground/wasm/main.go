//go:build js && wasm

// Command wasm is the playground's engine, compiled to WebAssembly (GOOS=js
// GOARCH=wasm) by the playground when it starts: the page decides in the browser, with
// no server behind it. It sets the JavaScript object emkhana:
//
//	emkhana.start()            {"rule_set": ID, "rules": DOCUMENT, "examples": [LINE, ...]}
//	emkhana.decide(rules, app) a play.Result as JSON
//
// Both return JSON text.
package main

import (
	"encoding/json"
	"syscall/js"

	"github.com/emkhana/emkhana/examples/playground/internal/play"
)

func main() {
	var p play.Playground
	js.Global().Set("emkhana", js.ValueOf(map[string]any{
		"start": js.FuncOf(func(js.Value, []js.Value) any {
			id, doc := play.NewestSet()
			return jsonText(map[string]any{"rule_set": id, "rules": string(doc), "examples": play.Examples()})
		}),
		"decide": js.FuncOf(func(_ js.Value, args []js.Value) any {
			if len(args) != 2 {
				return jsonText(map[string]string{"error": "decide(rules, application)"})
			}
			return jsonText(p.Decide([]byte(args[0].String()), []byte(args[1].String())))
		}),
	}))
	select {} // keep the functions alive for the page
}

// jsonText returns v as JSON text.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"error": err.Error()})
	}
	return string(b)
}
