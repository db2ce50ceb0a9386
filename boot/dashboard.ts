// This module is browser-compatible.
/** The dashboard's script. */
import { Dashboard } from "../islands/Dashboard.tsx";
import { bootIslands } from "./boot.ts";

bootIslands({ Dashboard });
