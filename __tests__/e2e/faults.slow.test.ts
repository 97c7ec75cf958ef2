// Slow tier: the fault matrix's rows that wait out every retry or a growing backoff.
import { describeFaultMatrix } from './fault-matrix.js'

describeFaultMatrix('slow')
