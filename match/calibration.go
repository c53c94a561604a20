package match

import "sort"

// Calibration maps the engine's raw posterior to a calibrated probability by
// piecewise-linear interpolation between points fitted on labelled data
// (isotonic regression; see FitCalibration and docs/MATCHING.md). A nil
// Calibration is the identity.
type Calibration []CalibrationPoint

// CalibrationPoint is one knot of a Calibration: raw posterior X maps to
// observed accuracy Y.
type CalibrationPoint struct{ X, Y float64 }

// Apply returns the calibrated probability of raw posterior x.
func (c Calibration) Apply(x float64) float64 {
	if len(c) == 0 {
		return min(max(x, 0), 1)
	}
	i := sort.Search(len(c), func(i int) bool { return c[i].X >= x })
	switch {
	case i == 0:
		return c[0].Y
	case i == len(c):
		return c[len(c)-1].Y
	}
	a, b := c[i-1], c[i]
	if b.X == a.X {
		return b.Y
	}
	return a.Y + (b.Y-a.Y)*(x-a.X)/(b.X-a.X)
}

// maxConfidence is the highest confidence the engine reports.
const maxConfidence = 0.999

// FitCalibration fits a monotone map from raw posteriors to outcomes
// (isotonic regression by pool-adjacent-violators) and returns it with at
// most maxPoints knots. xs are raw posteriors, ys 1 for a right candidate and
// 0 for a wrong one.
func FitCalibration(xs []float64, ys []bool, maxPoints int) Calibration {
	type block struct{ sumX, sumY, n float64 }
	idx := make([]int, len(xs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	var blocks []block
	for _, i := range idx {
		y := 0.0
		if ys[i] {
			y = 1
		}
		blocks = append(blocks, block{xs[i], y, 1})
		for len(blocks) > 1 {
			a, b := blocks[len(blocks)-2], blocks[len(blocks)-1]
			if a.sumY/a.n < b.sumY/b.n {
				break
			}
			blocks = blocks[:len(blocks)-2]
			blocks = append(blocks, block{a.sumX + b.sumX, a.sumY + b.sumY, a.n + b.n})
		}
	}
	// Merge blocks smaller than minBlock with a neighbour, so that a few
	// samples cannot make a step (the fit must generalise, not memorise).
	const minBlock = 100
	for i := 0; i < len(blocks); {
		if blocks[i].n >= minBlock || len(blocks) == 1 {
			i++
			continue
		}
		j := i + 1
		if j == len(blocks) {
			j = i - 1
		}
		a, b := blocks[min(i, j)], blocks[max(i, j)]
		merged := block{a.sumX + b.sumX, a.sumY + b.sumY, a.n + b.n}
		blocks = append(blocks[:min(i, j)], append([]block{merged}, blocks[max(i, j)+1:]...)...)
		i = min(i, j)
	}
	var c Calibration
	for _, b := range blocks {
		// NOTE: never claim certainty: labelled data this size cannot show it.
		c = append(c, CalibrationPoint{X: b.sumX / b.n, Y: min(b.sumY/b.n, maxConfidence)})
	}
	// Thin to maxPoints knots, keeping the ends.
	if maxPoints > 1 && len(c) > maxPoints {
		thin := Calibration{c[0]}
		step := float64(len(c)-1) / float64(maxPoints-1)
		for k := 1; k < maxPoints-1; k++ {
			thin = append(thin, c[int(float64(k)*step+0.5)])
		}
		c = append(thin, c[len(c)-1])
	}
	return c
}

// DefaultCalibration is the table fitted on the generated benchmark
// (`go test ./match/eval -run TestFitCalibration -update` rewrites
// calibration_table.go).
var DefaultCalibration = defaultCalibrationTable
