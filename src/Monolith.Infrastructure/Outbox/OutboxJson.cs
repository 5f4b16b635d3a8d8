using System.Text.Json;
using System.Text.Json.Serialization;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Outbox;

/// <summary>Reads outbox payloads back into events (written by AppDbContext with <see cref="JsonSerializerDefaults.Web"/>).</summary>
internal static class OutboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new MoneyConverter() },
    };

    /// <summary><see cref="Money"/> has no public constructor: rebuild it through <see cref="Money.Create"/>.</summary>
    private sealed class MoneyConverter : JsonConverter<Money>
    {
        public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("Money must be an object.");
            }

            long? amount = null;
            string? currency = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var property = reader.GetString();
                reader.Read();
                if (string.Equals(property, "amountMinor", StringComparison.OrdinalIgnoreCase))
                {
                    amount = reader.GetInt64();
                }
                else if (string.Equals(property, "currency", StringComparison.OrdinalIgnoreCase))
                {
                    currency = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            var money = Money.Create(amount ?? throw new JsonException("Money needs amountMinor."), currency);
            return money.IsSuccess ? money.Value : throw new JsonException(money.Error.Message);
        }

        public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteNumber("amountMinor", value.AmountMinor);
            writer.WriteString("currency", value.Currency);
            writer.WriteEndObject();
        }
    }
}
