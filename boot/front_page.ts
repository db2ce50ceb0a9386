// This module is browser-compatible.
/** The front page's script: the interpret demo. */
import { InterpretDemo } from "../islands/InterpretDemo.tsx";
import { bootIslands } from "./boot.ts";

bootIslands({ InterpretDemo });
