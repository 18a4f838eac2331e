import {followHomeAssistantTheme} from "./theme.js";
import "./yss-panel.js";

followHomeAssistantTheme();
