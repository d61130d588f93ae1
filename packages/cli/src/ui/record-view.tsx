import { Box, Text } from 'ink';
import { textWidth } from '../output/text-width.js';
import type { Field } from '../output/view-model.js';
import { CellText } from './table.js';

/** A record as label / value lines; long values wrap beside their label. */
export function RecordView({ fields }: { fields: readonly Field[] }) {
  const labelWidth = Math.max(0, ...fields.map((f) => textWidth(f.label))) + 2;
  return (
    <Box flexDirection="column">
      {fields.map((field, index) => (
        <Box key={index} flexDirection="row">
          <Box width={labelWidth} flexShrink={0}>
            <Text color="cyan">{field.label}</Text>
          </Box>
          <Box flexGrow={1}>
            <CellText cell={field.value} wrap="wrap" />
          </Box>
        </Box>
      ))}
    </Box>
  );
}
