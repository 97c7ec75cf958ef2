// The fault matrix's quick rows: each fault injected once or briefly (see fault-matrix.ts).
import { describeFaultMatrix } from './fault-matrix.js'

describeFaultMatrix('quick')
